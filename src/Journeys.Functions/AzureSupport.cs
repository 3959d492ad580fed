using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Functions;

/// <summary>
/// What DESIGN §10 asks that the Azure runtime does not apply yet (docs/azure.md, "Send policies on Azure"), as
/// problems in validate's form: settings that ask for it stop the app from starting, so nothing is silently ignored.
/// </summary>
public static class AzureSupport
{
    /// <param name="file">What the settings are called in a problem (the app setting, or the file it names).</param>
    public static IReadOnlyList<DefinitionProblem> Settings(EngineOptions options, string file) =>
        options.RateLimits.Count > 0
            ? [new DefinitionProblem(file, "$.rateLimits", "rate limits are not applied by the Azure runtime yet (docs/azure.md, \"Send policies on Azure\"); remove them, or run journeys serve")]
            : [];
}
