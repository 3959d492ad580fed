using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Orchestration;

/// <summary>
/// What the engine may read for one decision, built by the orchestrator from what the
/// <see cref="ActivityNames.Pull"/> activity read, so replays see it from history instead of reading storage
/// (DESIGN §5: no I/O in the orchestrator).
/// </summary>
/// <param name="RecentSends">Messages to the person within the frequency cap's period before the decision's time.</param>
/// <param name="Experiments">The pulled tallies of the journey's winner-rule splits (<see cref="PullResult.Experiments"/>); none: no counts, the splits only split.</param>
public sealed record ContextSnapshot(string UserId, Value Traits, IReadOnlyList<HistoryEvent> History, int RecentSends,
    IReadOnlyDictionary<string, ExperimentTally>? Experiments = null)
{
    public EngineContext ToEngineContext() =>
        new(Profile.Empty(UserId).Merge(Traits), History, new CountLedger(RecentSends), Experiments is null ? null : new PulledCounts(Experiments));

    /// <summary>The pulled tallies (one journey's); no channel has a recorded slot (rate limits are not counted here).</summary>
    private sealed class PulledCounts(IReadOnlyDictionary<string, ExperimentTally> tallies) : ISharedCounts
    {
        public ExperimentTally Experiment(string journeyId, string stepId) => tallies.GetValueOrDefault(stepId) ?? ExperimentTally.Empty;

        public DateTimeOffset? NextFreeSlot(Channel channel) => null;
    }

    /// <summary>
    /// The engine asks once per decision, for the cap period ending at the decision's time, which is
    /// what <see cref="RecentSends"/> counted; its own sends within the decision it adds itself.
    /// </summary>
    private sealed class CountLedger(int count) : ISendLedger
    {
        public int CountSince(string userId, DateTimeOffset since) => count;
    }
}
