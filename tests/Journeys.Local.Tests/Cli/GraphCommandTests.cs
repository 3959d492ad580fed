using Journeys.Core.Definitions;

namespace Journeys.Local.Tests.Cli;

/// <summary><c>journeys graph DIR JOURNEY</c>: one node per step, the end, and one edge per successor, in Mermaid and DOT.</summary>
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
            var completes = journey.Steps.Values.Any(s => s.Successors.Contains(null));
            Assert.Equal(journey.Steps.Count + 1 + (completes ? 1 : 0), nodes); // the steps, the entry and the end
            var successors = journey.Steps.Values.Sum(s => s.Successors.Count()) + 1; // a missing next is an edge to the end
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

    [Fact]
    public void A_path_without_a_next_leads_to_the_end_and_exit_steps_do_not()
    {
        var run = CliRun.Of("graph", Samples, "product-consideration");
        Assert.Equal(0, run.Exit);
        var lines = run.StdoutLines;
        var end = Assert.Single(lines, l => l.Contains("([\"completed\"])", StringComparison.Ordinal)).Trim();
        var endId = end[..end.IndexOf('(', StringComparison.Ordinal)];
        var reminder = Assert.Single(lines, l => l.Contains("\"reminder<br/>", StringComparison.Ordinal)).Trim();
        var reminderId = reminder[..reminder.IndexOf('[', StringComparison.Ordinal)];
        Assert.Equal([$"{reminderId} --> {endId}"], lines.Where(l => l.EndsWith(" " + endId, StringComparison.Ordinal)).Select(l => l.Trim()));

        var read = DefinitionReader.ReadJourney("t.journey.json", """
            {"id":"t","entry":{"event":"Go"},"start":"pick",
             "steps":{"pick":{"type":"branch","paths":[{"name":"vip","when":{"trait":"vip","eq":true},"next":"out"}]},
                      "out":{"type":"exit"}}}
            """);
        Assert.Empty(read.Problems);
        var graph = JourneyGraph.Of(read.Definition!);
        // the branch's missing otherwise completes the journey; the exit step ends it by itself
        Assert.Equal([("(entry)", "pick"), ("pick", "out"), ("pick", "(end)")], graph.Edges.Select(e => (e.From, e.To)));
        Assert.Equal("otherwise", graph.Edges[^1].Label);
        Assert.Equal("end", graph.Nodes[^1].Type);
    }
}
