using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Orchestration;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>
/// The orchestration's experiment tallies over a runtime's counters in one process (the test harness; the Functions
/// app keeps them in its counters table): an assignment whose marker is the user's last one is not counted again.
/// </summary>
public sealed class InMemoryExperimentCounts(IJourneyCounters counters) : IExperimentCounts, IExperimentConversions
{
    private readonly Dictionary<(string Journey, string Step, string User), string> _markers = [];
    private readonly Lock _lock = new();

    public ExperimentTally Tally(string journeyId, string stepId)
    {
        lock (_lock) return counters.Experiment(journeyId, stepId);
    }

    public void Assign(ExperimentAssigned assigned, string marker)
    {
        lock (_lock)
        {
            var key = (assigned.JourneyId, assigned.Step, assigned.UserId);
            if (_markers.TryGetValue(key, out var last) && last == marker)
            {
                return;
            }
            _markers[key] = marker;
            counters.Assign(assigned.JourneyId, assigned.Step, assigned.UserId, assigned.Path, assigned.At);
        }
    }

    public void ChooseWinner(WinnerChosen chosen)
    {
        lock (_lock) counters.ChooseWinner(chosen.JourneyId, chosen.Step, chosen.Path, chosen.At);
    }

    public ExperimentAssignment? Assignment(string journeyId, string stepId, string userId)
    {
        lock (_lock) return counters.Assignment(journeyId, stepId, userId);
    }

    public void Convert(string journeyId, string stepId, string userId)
    {
        lock (_lock) counters.Convert(journeyId, stepId, userId);
    }
}
