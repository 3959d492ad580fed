using Journeys.Core.Definitions;
using Journeys.Hosting.Api;

namespace Journeys.Hosting.Stats;

/// <summary>
/// Shapes a runtime's counters (named as <see cref="StatsMetrics"/> names them) into the one stats response;
/// metrics it does not know are left out.
/// </summary>
public static class JourneyStatsBuilder
{
    /// <param name="definition">The journey's current version, for the experiment readout; without it there is none.</param>
    public static JourneyStats Build(JourneyCounts counters, JourneyDefinition? definition = null)
    {
        var journey = counters.Journey;
        var counts = counters.Counts;
        long Count(string metric) => counts.GetValueOrDefault(metric);
        var exited = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var steps = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var channels = new SortedDictionary<string, (long Sent, long Suppressed)>(StringComparer.Ordinal);
        var paths = new SortedDictionary<string, SortedDictionary<string, (long Entered, long Converted)>>(StringComparer.Ordinal);
        var edges = new List<EdgeCounts>();
        var attribution = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (metric, n) in counts)
        {
            var parts = metric.Split(':', 3);
            switch (parts[0])
            {
                case "exited" when parts.Length == 2:
                    exited[parts[1]] = n;
                    break;
                case "rejected" when parts.Length == 2:
                    rejected[parts[1]] = n;
                    break;
                case "step" when parts.Length == 2:
                    steps[parts[1]] = n;
                    break;
                case "sent" when parts.Length == 2:
                    channels[parts[1]] = (n, channels.GetValueOrDefault(parts[1]).Suppressed);
                    break;
                case "suppressed" when parts.Length == 2:
                    channels[parts[1]] = (channels.GetValueOrDefault(parts[1]).Sent, n);
                    break;
                case "path" when parts.Length == 3:
                    Path(parts[1])[parts[2]] = (n, Path(parts[1]).GetValueOrDefault(parts[2]).Converted);
                    break;
                case "path-converted" when parts.Length == 3:
                    Path(parts[1])[parts[2]] = (Path(parts[1]).GetValueOrDefault(parts[2]).Entered, n);
                    break;
                case "edge" when parts.Length == 2 && parts[1].IndexOf('>', StringComparison.Ordinal) is > 0 and var at:
                    edges.Add(new EdgeCounts(parts[1][..at], parts[1][(at + 1)..], n));
                    break;
                case "attributed" when parts.Length == 2:
                    attribution[parts[1]] = n;
                    break;
            }
        }
        if (edges.Count == 0 && definition is not null)
        {
            // two paths of one step without a next are one edge to the end, as serve counts it
            edges.AddRange(DerivedEdges(definition, counts).GroupBy(e => (e.From, e.To)).Select(g => new EdgeCounts(g.Key.From, g.Key.To, g.Sum(e => e.Taken))));
        }
        edges.Sort((a, b) => (string.CompareOrdinal(a.From, b.From) is var c and not 0) ? c : string.CompareOrdinal(a.To, b.To));
        var experiments = new SortedDictionary<string, ExperimentReadout>(StringComparer.Ordinal);
        foreach (var split in definition?.Steps.Values.OfType<SplitStep>() ?? [])
        {
            if (split.Experiment is not null)
            {
                experiments[split.Id] = ExperimentReadoutBuilder.Build(split, ExperimentReadoutBuilder.Tally(split, counts));
            }
        }
        return new JourneyStats(
            journey.Id, journey.Version, journey.Status,
            Count("entered"), counters.Active, Count("completed"), Count("converted"),
            exited, rejected, steps,
            channels.ToDictionary(c => c.Key, c => new ChannelCounts(c.Value.Sent, c.Value.Suppressed), StringComparer.Ordinal),
            paths.ToDictionary(
                p => p.Key,
                p => (IReadOnlyDictionary<string, PathCounts>)p.Value.ToDictionary(x => x.Key, x => new PathCounts(x.Value.Entered, x.Value.Converted), StringComparer.Ordinal),
                StringComparer.Ordinal),
            edges, attribution, experiments, ExperimentReadoutBuilder.GlobalControl(counts));

        SortedDictionary<string, (long Entered, long Converted)> Path(string step)
        {
            if (!paths.TryGetValue(step, out var byPath))
            {
                paths[step] = byPath = new SortedDictionary<string, (long, long)>(StringComparer.Ordinal);
            }
            return byPath;
        }
    }

    /// <summary>
    /// Edges from the counts a trace-only runtime keeps (no <c>edge:</c> counters, the Functions app): a send always
    /// moves on to its next once it has sent or suppressed (its <c>step:</c> count), and a branch, split or waitFor
    /// path's count is its edge's; a missing next is the edge to the graph's end. Moves out of delays and updates
    /// leave no record, so their edges are absent.
    /// </summary>
    private static IEnumerable<EdgeCounts> DerivedEdges(JourneyDefinition definition, IReadOnlyDictionary<string, long> counts)
    {
        foreach (var (id, step) in definition.Steps)
        {
            switch (step)
            {
                case SendStep send:
                    yield return Edge(id, send.Next, $"step:{id}");
                    break;
                case SplitStep split:
                    foreach (var path in split.Paths)
                        yield return Edge(id, path.Next, $"path:{id}:{path.Name}");
                    break;
                case BranchStep branch:
                    foreach (var path in branch.Paths)
                        yield return Edge(id, path.Next, $"path:{id}:{path.Name}");
                    yield return Edge(id, branch.Otherwise, $"path:{id}:otherwise");
                    break;
                case WaitForStep wait:
                    foreach (var e in wait.Events)
                        yield return Edge(id, e.Next, $"path:{id}:{e.Name}");
                    if (wait.Events.Count == 0)
                        yield return Edge(id, wait.OnEvent, $"path:{id}:event");
                    yield return Edge(id, wait.OnTimeout, $"path:{id}:timeout");
                    break;
            }
        }

        EdgeCounts Edge(string from, string? to, string metric) => new(from, to ?? JourneyGraph.EndNode, counts.GetValueOrDefault(metric));
    }
}
