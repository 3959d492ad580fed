namespace Journeys.Core.Audience;

/// <summary>
/// A track event kept in a user's history. <see cref="Sequence"/> counts the user's track events
/// from 1 in arrival order, so "since this enrollment began" is a comparison of two numbers.
/// </summary>
public readonly record struct HistoryEvent(long Sequence, string Event, DateTimeOffset Timestamp, Value Properties);
