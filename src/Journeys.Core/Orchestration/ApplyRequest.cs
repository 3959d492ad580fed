using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The <see cref="ActivityNames.Apply"/> activity's input: one engine decision's state change and its
/// storage effects (the messages themselves go to <see cref="ActivityNames.Send"/>, one call each).
/// Applying it twice leaves the same rows (activities run at least once).
/// </summary>
/// <param name="SendTimes">Messages (not webhooks) to count toward frequency caps, at their times.</param>
public sealed record ApplyRequest(
    EnrollmentState Before,
    EnrollmentState After,
    IReadOnlyList<TraceRecord> Traces,
    IReadOnlyList<UpdateProfile> ProfileUpdates,
    IReadOnlyList<DateTimeOffset> SendTimes);
