using Journeys.Core.Definitions;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>The counts across users in memory: the simulator's, and what a runtime uses when its stores bring none.</summary>
public sealed class InMemoryJourneyCounters : IJourneyCounters
{
    private readonly Dictionary<string, long> _entriesTotal = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Journey, DateOnly Day), long> _entriesByDay = [];
    private readonly Dictionary<(string Journey, string Step), Recorded> _experiments = [];
    private readonly Dictionary<(string Journey, string Step, string User), ExperimentAssignment> _assignments = [];
    private readonly Dictionary<Channel, DateTimeOffset> _slots = [];

    private sealed class Recorded
    {
        public DateTimeOffset? StartedAt;
        public string? Winner;
        public readonly Dictionary<string, PathTally> Paths = new(StringComparer.Ordinal);

        public ExperimentTally Tally() => new(StartedAt, Winner, new Dictionary<string, PathTally>(Paths, StringComparer.Ordinal));
    }

    public long EntriesTotal(string journeyId) => _entriesTotal.GetValueOrDefault(journeyId);

    public long EntriesOn(string journeyId, DateOnly day) => _entriesByDay.GetValueOrDefault((journeyId, day));

    public void RecordEntry(string journeyId, DateTimeOffset at)
    {
        _entriesTotal[journeyId] = EntriesTotal(journeyId) + 1;
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        _entriesByDay[(journeyId, day)] = EntriesOn(journeyId, day) + 1;
    }

    public ExperimentTally Experiment(string journeyId, string stepId) =>
        _experiments.TryGetValue((journeyId, stepId), out var experiment) ? experiment.Tally() : ExperimentTally.Empty;

    public ExperimentAssignment? Assignment(string journeyId, string stepId, string userId) =>
        _assignments.TryGetValue((journeyId, stepId, userId), out var a) ? a : null;

    public void Assign(string journeyId, string stepId, string userId, string path, DateTimeOffset at)
    {
        var experiment = Get(journeyId, stepId);
        experiment.StartedAt ??= at;
        var tally = experiment.Paths.GetValueOrDefault(path);
        experiment.Paths[path] = tally with { Entered = tally.Entered + 1 };
        _assignments[(journeyId, stepId, userId)] = new ExperimentAssignment(path, at, false);
    }

    public void Convert(string journeyId, string stepId, string userId)
    {
        if (Assignment(journeyId, stepId, userId) is not { Converted: false } a) return;
        _assignments[(journeyId, stepId, userId)] = a with { Converted = true };
        var experiment = Get(journeyId, stepId);
        var tally = experiment.Paths.GetValueOrDefault(a.Path);
        experiment.Paths[a.Path] = tally with { Converted = tally.Converted + 1 };
    }

    public void ChooseWinner(string journeyId, string stepId, string path, DateTimeOffset at) => Get(journeyId, stepId).Winner ??= path;

    public DateTimeOffset? NextFreeSlot(Channel channel) => _slots.TryGetValue(channel, out var at) ? at : null;

    public void TakeSlot(Channel channel, DateTimeOffset nextFree) => _slots[channel] = nextFree;

    private Recorded Get(string journeyId, string stepId)
    {
        if (!_experiments.TryGetValue((journeyId, stepId), out var experiment))
        {
            _experiments[(journeyId, stepId)] = experiment = new Recorded();
        }
        return experiment;
    }
}
