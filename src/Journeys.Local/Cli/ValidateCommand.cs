using Journeys.Core.Definitions;

namespace Journeys.Local.Cli;

/// <summary><c>journeys validate DIR</c>: exit 0 when every definition is valid, else one line per problem and exit 1.</summary>
public static class ValidateCommand
{
    public static int Run(string directory, TextWriter stdout, TextWriter stderr)
    {
        var loaded = DefinitionLoader.LoadDirectory(directory);
        foreach (var problem in loaded.Problems)
        {
            stdout.WriteLine(problem);
        }
        if (!loaded.IsValid)
        {
            return JourneysCli.Invalid;
        }
        // stdout carries problems only, so a clean run prints nothing there
        stderr.WriteLine($"{directory}: {loaded.Journeys.Count} journeys and {loaded.Segments.Count} segments are valid");
        return JourneysCli.Ok;
    }
}
