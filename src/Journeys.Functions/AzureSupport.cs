using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Functions;

/// <summary>
/// What DESIGN §10 asks that the Azure runtime does not apply yet (docs/azure.md, "Send policies on Azure"), as
/// problems in validate's form: settings that ask for it stop the app from starting, a journey that uses it is
/// not published, so nothing is silently ignored.
/// </summary>
public static class AzureSupport
{
    /// <param name="file">What the settings are called in a problem (the app setting, or the file it names).</param>
    public static IReadOnlyList<DefinitionProblem> Settings(EngineOptions options, string file) =>
        options.RateLimits.Count > 0
            ? [new DefinitionProblem(file, "$.rateLimits", "rate limits are not applied by the Azure runtime yet (docs/azure.md, \"Send policies on Azure\"); remove them, or run journeys serve")]
            : [];

    /// <summary>
    /// An experiment's <c>winner</c> needs the per-path tallies across users, which the Azure orchestrations do not
    /// read: there the split would go on splitting forever, so the journey is refused instead.
    /// </summary>
    public static IReadOnlyList<DefinitionProblem> Journey(JourneyDefinition journey, string file) =>
        [.. journey.Steps.Values.OfType<SplitStep>().Where(s => s.Experiment?.Winner is not null).OrderBy(s => s.Id, StringComparer.Ordinal).Select(s =>
            new DefinitionProblem(file, $"$.steps.{s.Id}.experiment.winner",
                "choosing an experiment's winner is not done by the Azure runtime yet (docs/azure.md, \"Send policies on Azure\"); remove 'winner' (the readout still works), or run journeys serve"))];
}
