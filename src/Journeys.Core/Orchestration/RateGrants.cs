using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The counts the orchestrator's engine reads when rate limits apply: a channel has no next free slot (a send goes at
/// its decision's time and the engine emits <see cref="RateSlotTaken"/>), except the one a
/// <see cref="RateSlotGrant.Until"/> named, when the decision is made again so that the engine defers that send itself.
/// Experiment tallies come from <paramref name="inner"/> (none: the orchestrations read no tallies).
/// </summary>
internal sealed class RateGrants(ISharedCounts? inner, Channel? channel = null, DateTimeOffset? until = null) : ISharedCounts
{
    public ExperimentTally Experiment(string journeyId, string stepId) => inner?.Experiment(journeyId, stepId) ?? ExperimentTally.Empty;

    public DateTimeOffset? NextFreeSlot(Channel c) => c == channel ? until : null;
}
