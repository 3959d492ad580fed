using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// What the engine may read for one decision, built by the orchestrator from what the
/// <see cref="ActivityNames.Pull"/> activity read, so replays see it from history instead of reading storage
/// (DESIGN §5: no I/O in the orchestrator).
/// </summary>
/// <param name="RecentSends">Messages to the person within the frequency cap's period before the decision's time.</param>
public sealed record ContextSnapshot(string UserId, Value Traits, IReadOnlyList<HistoryEvent> History, int RecentSends)
{
    public EngineContext ToEngineContext() =>
        new(Profile.Empty(UserId).Merge(Traits), History, new CountLedger(RecentSends));

    /// <summary>
    /// The engine asks once per decision, for the cap period ending at the decision's time, which is
    /// what <see cref="RecentSends"/> counted; its own sends within the decision it adds itself.
    /// </summary>
    private sealed class CountLedger(int count) : ISendLedger
    {
        public int CountSince(string userId, DateTimeOffset since) => count;
    }
}
