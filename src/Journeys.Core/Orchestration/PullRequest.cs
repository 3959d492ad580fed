namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.Pull"/> activity's input.</summary>
/// <param name="AfterSequence">The orchestration's cursor: events with a greater sequence are new to it.</param>
/// <param name="Claim">
/// The run's claim token (made with the orchestration's replay-safe <c>NewGuid</c> on the first execution, carried
/// through <c>ContinueAsNew</c>): written to the enrollment when none is there; a run holding another token owns nothing.
/// </param>
/// <param name="SendsSince">Recent sends from this instant are returned (frequency caps).</param>
public sealed record PullRequest(string EnrollmentId, string UserId, long AfterSequence, string Claim, DateTimeOffset SendsSince);
