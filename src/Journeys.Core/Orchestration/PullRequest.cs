namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.Pull"/> activity's input.</summary>
/// <param name="AfterSequence">The orchestration's cursor: events with a greater sequence are new to it.</param>
/// <param name="Claim">
/// The run's claim token (from the start input, <see cref="OrchestrationInput.Claim"/>, carried
/// through <c>ContinueAsNew</c>): written to the enrollment when none is there; a run holding another token owns nothing.
/// </param>
/// <param name="SendsSince">Recent sends from this instant are returned (frequency caps).</param>
/// <param name="Definition">
/// The journey version the orchestration has not loaded yet (the first pull of an execution): returned as
/// <see cref="PullResult.Definition"/> when the run owns the enrollment, so no <see cref="ActivityNames.LoadDefinition"/> is needed.
/// </param>
/// <param name="RateLimits">
/// The channels' per-minute limits the orchestrator is configured with, asked by an execution's first pull and
/// returned as <see cref="PullResult.RateLimits"/>: the execution decides with what its history holds, so one that
/// started under other settings (or before rate limits were applied on Azure) replays as it ran.
/// </param>
/// <param name="Experiments">
/// The winner-rule splits whose tallies to return (<see cref="PullResult.Experiments"/>); an execution's first pull,
/// which has no journey yet, gets them for the <see cref="Definition"/> it loads.
/// </param>
public sealed record PullRequest(string EnrollmentId, string UserId, long AfterSequence, string Claim, DateTimeOffset SendsSince, DefinitionRequest? Definition = null,
    IReadOnlyDictionary<Definitions.Channel, int>? RateLimits = null, TallyRequest? Experiments = null);
