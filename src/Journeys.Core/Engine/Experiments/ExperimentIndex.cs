using Journeys.Core.Definitions;

namespace Journeys.Core.Engine.Experiments;

/// <summary>An experiment split and the journey (current version) it belongs to.</summary>
public sealed record ExperimentSplit(CompiledJourney Journey, SplitStep Split)
{
    public ExperimentRule Rule => Split.Experiment!;

    /// <summary>The event that counts as a conversion: the goal's, or the metric's name.</summary>
    public string? MetricEvent => Rule.UsesGoal ? Journey.Definition.Goal?.Event : Rule.Metric;
}

/// <summary>
/// The experiment splits of a set of journeys by the event that converts them, so a runtime looks at experiments
/// only for an event that can convert one (an unrelated event costs one dictionary miss).
/// </summary>
public sealed class ExperimentIndex
{
    private readonly Dictionary<string, List<ExperimentSplit>> _byEvent = new(StringComparer.Ordinal);

    /// <param name="winnersOnly">Only splits with a <c>winner</c> rule (a runtime that keeps tallies for those alone: Azure).</param>
    public ExperimentIndex(IEnumerable<CompiledJourney> journeys, bool winnersOnly = false)
    {
        foreach (var journey in journeys)
        {
            foreach (var split in journey.Definition.Steps.Values.OfType<SplitStep>())
            {
                if (split.Experiment is null || (winnersOnly && split.Experiment.Winner is null)) continue;
                var experiment = new ExperimentSplit(journey, split);
                if (experiment.MetricEvent is not { } name) continue;
                if (!_byEvent.TryGetValue(name, out var list))
                {
                    _byEvent[name] = list = [];
                }
                list.Add(experiment);
            }
        }
    }

    public IReadOnlyList<ExperimentSplit> ConvertedBy(string eventName) =>
        _byEvent.TryGetValue(eventName, out var list) ? list : [];
}
