using System.Globalization;

namespace Journeys.Core.Definitions;

/// <summary>A node of a journey's graph: a step (or the entry), its type and a one-line description.</summary>
public sealed record GraphNode(string Id, string Type, string Label);

/// <summary>An edge of a journey's graph; <see cref="Label"/> names the path (split, branch, waitFor outcome) or is null.</summary>
public sealed record GraphEdge(string From, string To, string? Label);

/// <summary>
/// A journey drawn as a graph: the entry, then one node per step in definition order, the end when a path can
/// complete the journey (a missing <c>next</c>), and an edge per successor (a merge is two edges into one node). One model for <c>journeys graph</c> (Mermaid, DOT), the dashboard and the
/// simulation report, so they all draw the same thing.
/// </summary>
public sealed record JourneyGraph(string JourneyId, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges)
{
    /// <summary>The entry's node id: not a valid step id ('(' is not allowed in one), so it never collides.</summary>
    public const string EntryNode = "(entry)";

    /// <summary>Where a path without a <c>next</c> leads: the journey completes (exit and jump steps end it otherwise).</summary>
    public const string EndNode = "(end)";

    public static JourneyGraph Of(JourneyDefinition journey)
    {
        var nodes = new List<GraphNode> { new(EntryNode, "entry", "entry: " + Entry(journey.Entry)) };
        var edges = new List<GraphEdge> { new(EntryNode, journey.Start, null) };
        foreach (var (id, step) in journey.Steps)
        {
            nodes.Add(new GraphNode(id, TypeOf(step), Describe(step)));
            foreach (var (to, label) in Successors(step))
            {
                edges.Add(new GraphEdge(id, to ?? EndNode, label));
            }
        }
        if (edges.Exists(e => e.To == EndNode))
        {
            nodes.Add(new GraphNode(EndNode, "end", "completed"));
        }
        return new JourneyGraph(journey.Id, nodes, edges);
    }

    private static string TypeOf(Step step) => step switch
    {
        SendStep => "send",
        DelayStep => "delay",
        WaitForStep => "waitFor",
        BranchStep => "branch",
        SplitStep => "split",
        UpdateStep => "update",
        JumpStep => "jump",
        _ => "exit",
    };

    private static string Entry(Entry entry) => entry switch
    {
        EventEntry e => "event " + e.Event + (e.Key is null ? "" : $" (per {e.Key})"),
        SegmentEntry s => "segment " + s.Segment,
        ScheduleEntry s => "schedule" + (s.Segment is null ? "" : " of " + s.Segment),
        _ => "",
    };

    private static string Describe(Step step) => step switch
    {
        SendStep s => $"send {Channel(s.Channel)}",
        DelayStep { For: { } d } => $"delay {d}",
        DelayStep { Until: { } t } d => $"delay until {t:HH\\:mm}" + (d.Days > 0 ? $" +{d.Days}d" : ""),
        DelayStep { UntilDate: { } at } => $"delay until {at.UtcDateTime:yyyy-MM-dd HH:mm}Z",
        DelayStep d => $"delay until {(d.UntilTrait is null ? "property " + d.UntilProperty : "trait " + d.UntilTrait)}",
        WaitForStep w => $"wait for {(w.Events.Count == 0 ? w.Event : string.Join(" | ", w.Events.Select(e => e.Event)))} ({w.Timeout})",
        BranchStep => "branch",
        SplitStep { Experiment: { } x } => $"experiment ({x.Metric} within {x.Window}" + (x.Winner is null ? ")" : ", winner)"),
        SplitStep => "split",
        UpdateStep => "update profile",
        JumpStep j => $"jump to {j.Journey}",
        _ => "exit",
    };

    private static string Channel(Channel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>Each successor with its path name; a null one completes the journey.</summary>
    private static IEnumerable<(string? To, string? Label)> Successors(Step step)
    {
        switch (step)
        {
            case SplitStep split:
                foreach (var p in split.Paths)
                {
                    yield return (p.Next, $"{p.Name} {p.Percent.ToString(CultureInfo.InvariantCulture)}%{(p.Control ? " (control)" : "")}");
                }
                break;
            case BranchStep branch:
                foreach (var p in branch.Paths)
                {
                    yield return (p.Next, p.Name);
                }
                yield return (branch.Otherwise, "otherwise");
                break;
            case WaitForStep { Events.Count: 0 } wait:
                yield return (wait.OnEvent, wait.Event);
                yield return (wait.OnTimeout, "timeout");
                break;
            case WaitForStep wait:
                foreach (var e in wait.Events)
                {
                    yield return (e.Next, e.Name);
                }
                yield return (wait.OnTimeout, "timeout");
                break;
            default:
                foreach (var next in step.Successors.Distinct(StringComparer.Ordinal))
                {
                    yield return (next, null);
                }
                break;
        }
    }
}
