using Journeys.Core.Definitions;
using Journeys.Local.Graphs;

namespace Journeys.Local.Cli;

/// <summary><c>journeys graph DIR JOURNEY [--format mermaid|dot]</c>: the journey's graph as text on stdout.</summary>
public static class GraphCommand
{
    public static int Run(string directory, string journeyId, string format, TextWriter stdout, TextWriter stderr)
    {
        if (format is not ("mermaid" or "dot"))
        {
            stderr.WriteLine($"--format: '{format}' is not mermaid or dot");
            return JourneysCli.Usage;
        }
        var loaded = DefinitionLoader.LoadDirectory(directory);
        foreach (var problem in loaded.Problems)
        {
            stderr.WriteLine(problem);
        }
        if (!loaded.IsValid)
        {
            stderr.WriteLine($"{directory}: definitions are invalid; no graph was drawn");
            return JourneysCli.Invalid;
        }
        if (loaded.Journeys.FirstOrDefault(j => j.Id == journeyId) is not { } journey)
        {
            stderr.WriteLine($"{directory}: no journey '{journeyId}' (there are: {string.Join(", ", loaded.Journeys.Select(j => j.Id).Order(StringComparer.Ordinal))})");
            return JourneysCli.Invalid;
        }
        var graph = JourneyGraph.Of(journey);
        stdout.Write(format == "dot" ? GraphText.Dot(graph) : GraphText.Mermaid(graph));
        return JourneysCli.Ok;
    }
}
