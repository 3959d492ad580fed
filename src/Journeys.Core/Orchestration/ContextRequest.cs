namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.LoadContext"/> activity's input.</summary>
/// <param name="At">The engine input's time (frequency caps count sends before it).</param>
/// <param name="UpToSequence">For an event: history up to that event, so later arrivals do not leak into this decision.</param>
public sealed record ContextRequest(string UserId, DateTimeOffset At, long? UpToSequence);
