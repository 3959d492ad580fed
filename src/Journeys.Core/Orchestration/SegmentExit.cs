namespace Journeys.Core.Orchestration;

/// <summary>
/// The user left a streaming segment an enrollment's journey exits on (<c>exit.segments</c>, DESIGN §9), as the
/// ingestion recorded it on the enrollment: the orchestration decides it as <c>SegmentLeft</c> once it has handled
/// the user's events up to <paramref name="AfterSequence"/> (the event that made the user leave, or the last one
/// before an identify), and before any later event, as the single-node runtime does within one ingestion.
/// </summary>
/// <param name="At">The ingestion's processing time.</param>
public sealed record SegmentExit(string Segment, DateTimeOffset At, long AfterSequence);
