namespace Journeys.Core.Orchestration;

/// <summary>A customer event of the user's history that the orchestration has not handled yet.</summary>
/// <param name="ProcessedAt">When the ingestion processed it: the engine input's time, and what timers are ordered by.</param>
public sealed record PulledEvent(long Sequence, string MessageId, DateTimeOffset ProcessedAt);
