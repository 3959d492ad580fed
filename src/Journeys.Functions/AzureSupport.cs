using Journeys.Core.Definitions;

namespace Journeys.Functions;

/// <summary>
/// What DESIGN §10 asks that the Azure runtime does not apply yet (docs/azure.md, "Send policies on Azure"), as
/// problems in validate's form: a journey that uses it is not published, so nothing is silently ignored. Every
/// send-policy setting is applied (rate limits since the orchestrator takes minute slots), so none is refused.
/// </summary>
public static class AzureSupport
{
    /// <summary>
    /// An experiment's <c>winner</c> needs the per-path tallies across users, which the Azure orchestrations do not
    /// read: there the split would go on splitting forever, so the journey is refused instead.
    /// </summary>
    public static IReadOnlyList<DefinitionProblem> Journey(JourneyDefinition journey, string file) =>
        [.. journey.Steps.Values.OfType<SplitStep>().Where(s => s.Experiment?.Winner is not null).OrderBy(s => s.Id, StringComparer.Ordinal).Select(s =>
            new DefinitionProblem(file, $"$.steps.{s.Id}.experiment.winner",
                "choosing an experiment's winner is not done by the Azure runtime yet (docs/azure.md, \"Send policies on Azure\"); remove 'winner' (the readout still works), or run journeys serve"))];
}
