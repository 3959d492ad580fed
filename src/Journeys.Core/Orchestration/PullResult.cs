using Journeys.Core.Audience;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Orchestration;

/// <summary>What one <see cref="ActivityNames.Pull"/> found in the user's partition.</summary>
/// <param name="Owned">False: the enrollment is claimed by another run (a re-scheduled or restarted instance id): exit, no effects.</param>
/// <param name="Pending">Events after the cursor, in sequence order (their content is in <see cref="History"/>).</param>
/// <param name="StopAt">When a stop of the enrollment was recorded, if it was.</param>
/// <param name="History">The user's history, every event (decisions see it up to their input).</param>
/// <param name="SendTimes">Messages sent to the person since the request's <see cref="PullRequest.SendsSince"/>.</param>
/// <param name="Left">The first streaming segment the user left that the journey exits on, if recorded.</param>
/// <param name="Definition">The version <see cref="PullRequest.Definition"/> asked for (only when <see cref="Owned"/>).</param>
/// <param name="RateLimits">The request's <see cref="PullRequest.RateLimits"/>, echoed: what the execution applies.</param>
/// <param name="Experiments">The tallies of the journey's winner-rule splits by step id; null for a journey without one (or a pull from before).</param>
public sealed record PullResult(
    bool Owned,
    IReadOnlyList<PulledEvent> Pending,
    DateTimeOffset? StopAt,
    Value Traits,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<DateTimeOffset> SendTimes,
    SegmentExit? Left = null,
    DefinitionSource? Definition = null,
    IReadOnlyDictionary<Definitions.Channel, int>? RateLimits = null,
    IReadOnlyDictionary<string, ExperimentTally>? Experiments = null)
{
    public static PullResult NotOwned { get; } = new(false, [], null, Audience.CustomerEvent.EmptyObject, [], []);
}
