using Journeys.Core.Definitions;

namespace Journeys.Local.Tests.Cli;

/// <summary><c>journeys graph DIR JOURNEY</c>: one node per step and one edge per successor, in Mermaid and DOT.</summary>
public sealed class GraphCommandTests
{
    private static string Samples => Path.Combine(RepositoryPaths.Root, "samples");

    [Theory]
    [InlineData("mermaid")]
    [InlineData("dot")]
    public void Every_sample_journey_draws_a_node_per_step_and_an_edge_per_successor(string format)
    {
        var loaded = DefinitionLoader.LoadDirectory(Samples);
        Assert.True(loaded.IsValid);
        foreach (var journey in loaded.Journeys)
        {
            var run = CliRun.Of("graph", Samples, journey.Id, "--format", format);
            Assert.Equal(0, run.Exit);
            var lines = run.StdoutLines;
            var arrow = format == "dot" ? " -> " : " -->";
            var nodes = lines.Count(l => !l.Contains(arrow, StringComparison.Ordinal) && (format == "dot" ? l.Contains("[label=", StringComparison.Ordinal) : l.Contains("\"", StringComparison.Ordinal)));
            Assert.Equal(journey.Steps.Count + 1, nodes); // the steps and the entry
            var successors = journey.Steps.Values.Sum(s => s.Successors.OfType<string>().Count()) + 1;
            Assert.Equal(successors, lines.Count(l => l.Contains(arrow, StringComparison.Ordinal)));
            foreach (var id in journey.Steps.Keys)
            {
                Assert.Contains(lines, l => l.Contains(format == "dot" ? $"label=\"{id}\\n" : $"\"{id}<br/>", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Mermaid_names_split_and_wait_paths_on_their_edges()
    {
        var run = CliRun.Of("graph", Samples, "product-consideration");
        Assert.Equal(0, run.Exit);
        Assert.StartsWith("flowchart TD", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("%\"|", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_journey_or_format_is_refused_with_a_reason()
    {
        var unknown = CliRun.Of("graph", Samples, "nope");
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("no journey 'nope'", unknown.Stderr, StringComparison.Ordinal);
        var badFormat = CliRun.Of("graph", Samples, "abandoned-cart", "--format", "svg");
        Assert.Equal(2, badFormat.Exit);
        Assert.Contains("'svg'", badFormat.Stderr, StringComparison.Ordinal);
    }
}
