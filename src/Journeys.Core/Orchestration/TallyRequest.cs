using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The experiment splits with a <c>winner</c> rule whose tallies a <see cref="ActivityNames.Pull"/> reads
/// (<see cref="PullResult.Experiments"/>): only these, so a journey without one costs no extra read.
/// </summary>
public sealed record TallyRequest(string JourneyId, IReadOnlyList<string> Steps)
{
    /// <summary>Null for a journey without a winner rule.</summary>
    public static TallyRequest? For(CompiledJourney journey)
    {
        var steps = journey.Definition.Steps.Values.OfType<SplitStep>()
            .Where(s => s.Experiment?.Winner is not null)
            .Select(s => s.Id)
            .Order(StringComparer.Ordinal)
            .ToList();
        return steps.Count == 0 ? null : new TallyRequest(journey.Id, steps);
    }
}
