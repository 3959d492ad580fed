using Journeys.Core.Definitions;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Engine;

/// <summary>
/// Counts kept across users that the engine reads (DESIGN §10): an experiment's recorded entries and
/// conversions per path, and each rate-limited channel's next free send slot. The engine only reads
/// them; what it wants changed comes back as effects (<see cref="ExperimentAssigned"/>,
/// <see cref="WinnerChosen"/>, <see cref="RateSlotTaken"/>), which the driver records before the next input.
/// </summary>
public interface ISharedCounts
{
    ExperimentTally Experiment(string journeyId, string stepId);

    /// <summary>The earliest instant the channel's next send may go; null when it never sent.</summary>
    DateTimeOffset? NextFreeSlot(Channel channel);
}
