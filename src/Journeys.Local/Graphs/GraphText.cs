using System.Text;
using Journeys.Core.Definitions;

namespace Journeys.Local.Graphs;

/// <summary>
/// A <see cref="JourneyGraph"/> as text for docs and reviews: Mermaid (<c>flowchart TD</c>, renders on GitHub) or
/// Graphviz DOT. Nodes get positional ids (n0, n1...) and the step id in the label, since step ids may hold
/// characters either language reads as syntax; labels are quoted and escaped.
/// </summary>
public static class GraphText
{
    public static string Mermaid(JourneyGraph graph)
    {
        var ids = Ids(graph);
        var text = new StringBuilder("flowchart TD\n");
        foreach (var node in graph.Nodes)
        {
            var label = MermaidLabel(Named(node) ? $"{node.Id}\n{node.Label}" : node.Label);
            var (open, close) = node.Type switch
            {
                "entry" or "end" => ("([", "])"),
                "branch" or "split" => ("{", "}"),
                "delay" or "waitFor" => ("(", ")"),
                "exit" or "jump" => ("[[", "]]"),
                _ => ("[", "]"),
            };
            text.Append("    ").Append(ids[node.Id]).Append(open).Append('"').Append(label).Append('"').Append(close).Append('\n');
        }
        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(ids[edge.From]).Append(" -->");
            if (edge.Label is not null) text.Append("|\"").Append(MermaidLabel(edge.Label)).Append("\"|");
            text.Append(' ').Append(ids[edge.To]).Append('\n');
        }
        return text.ToString();
    }

    public static string Dot(JourneyGraph graph)
    {
        var ids = Ids(graph);
        var text = new StringBuilder();
        text.Append("digraph ").Append(DotString(graph.JourneyId)).Append(" {\n    rankdir=TB;\n    node [fontname=\"Helvetica\"];\n");
        foreach (var node in graph.Nodes)
        {
            var shape = node.Type switch
            {
                "entry" or "end" => "oval",
                "branch" or "split" => "diamond",
                "delay" or "waitFor" => "box, style=rounded",
                _ => "box",
            };
            var label = Named(node) ? $"{node.Id}\n{node.Label}" : node.Label;
            text.Append("    ").Append(ids[node.Id]).Append(" [label=").Append(DotString(label)).Append(", shape=").Append(shape).Append("];\n");
        }
        foreach (var edge in graph.Edges)
        {
            text.Append("    ").Append(ids[edge.From]).Append(" -> ").Append(ids[edge.To]);
            if (edge.Label is not null) text.Append(" [label=").Append(DotString(edge.Label)).Append(']');
            text.Append(";\n");
        }
        return text.Append("}\n").ToString();
    }

    /// <summary>A step's node shows its id above its description; the entry and the end only their label.</summary>
    private static bool Named(GraphNode node) => node.Id is not (JourneyGraph.EntryNode or JourneyGraph.EndNode);

    private static Dictionary<string, string> Ids(JourneyGraph graph)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            ids[node.Id] = "n" + ids.Count;
        }
        return ids;
    }

    // Mermaid: inside a quoted label '"' ends the string; #quot; is its entity, and <br/> a line break
    private static string MermaidLabel(string text) =>
        text.Replace("\"", "#quot;", StringComparison.Ordinal).Replace("\n", "<br/>", StringComparison.Ordinal);

    private static string DotString(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
}
