using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The <see cref="ActivityNames.Apply"/> activity's input: one engine decision's state change, its storage
/// effects, and its messages, delivered after the rows are written. Applying it twice leaves the same rows
/// (activities run at least once), and a message whose sent-mark is written is not delivered again: a retry
/// after a failed delivery re-applies harmlessly and sends only what is not marked.
/// </summary>
/// <param name="SendTimes">Messages (not webhooks) to count toward frequency caps, at their times.</param>
/// <param name="Sends">
/// The decision's messages, in the engine's order, each checked against its sent-mark, delivered and marked as
/// <see cref="ActivityNames.Send"/> does. Empty in requests of executions whose history has their own
/// <see cref="ActivityNames.Send"/> calls (<see cref="OrchestrationInput.Folded"/> false).
/// </param>
/// <param name="Assigned">The decision's assignments in winner-rule splits, counted once each (<see cref="IExperimentCounts.Assign"/>).</param>
/// <param name="Winners">Winners the decision chose (the first recorded stays).</param>
public sealed record ApplyRequest(
    EnrollmentState Before,
    EnrollmentState After,
    IReadOnlyList<TraceRecord> Traces,
    IReadOnlyList<UpdateProfile> ProfileUpdates,
    IReadOnlyList<DateTimeOffset> SendTimes,
    IReadOnlyList<SendMessage>? Sends = null,
    IReadOnlyList<ExperimentAssigned>? Assigned = null,
    IReadOnlyList<WinnerChosen>? Winners = null)
{
    /// <summary>The decision's id: the same in a retried activity, another in any other decision (a method, so not serialized).</summary>
    public string DecisionScope() => $"{Before.EnrollmentId}~{Before.StepsTaken}~{After.StepsTaken}";
}
