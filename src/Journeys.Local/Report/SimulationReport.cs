using System.Text;
using System.Text.Json;
using Journeys.Core.Definitions;
using Journeys.Hosting.Api;
using Journeys.Hosting.Stats;
using Journeys.Local.Server;

namespace Journeys.Local.Report;

/// <summary>
/// The report of <c>journeys simulate --report FILE.html</c>: every journey drawn as its graph with the backtest's
/// counts and its experiments' readout, the same drawing code and layout library as the dashboard, in one HTML
/// file that needs nothing else (no network: the scripts and the data are inlined).
/// </summary>
public static class SimulationReport
{
    /// <param name="journeys">Each journey's definition (its JSON text, as in its file) and the backtest's counters.</param>
    public static string Html(string title, IEnumerable<(JourneyDefinition Definition, string Json, IReadOnlyDictionary<string, long> Counts)> journeys)
    {
        var data = new StringBuilder("[");
        var first = true;
        foreach (var (definition, json, counts) in journeys.OrderBy(j => j.Definition.Id, StringComparer.Ordinal))
        {
            var ended = counts.GetValueOrDefault("completed") + counts.Where(c => c.Key.StartsWith("exited:", StringComparison.Ordinal)).Sum(c => c.Value);
            var summary = new JourneySummary(definition.Id, definition.Name, 1, JourneyStatusText.Active);
            var stats = JourneyStatsBuilder.Build(new JourneyCounts(summary, Math.Max(0, counts.GetValueOrDefault("entered") - ended), counts), definition);
            using var parsed = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (!first) data.Append(',');
            first = false;
            data.Append("{\"definition\":").Append(parsed.RootElement.GetRawText())
                .Append(",\"stats\":").Append(JsonSerializer.Serialize(stats, ApiJson.Api.JourneyStats)).Append('}');
        }
        data.Append(']');
        var page = Resource();
        // the data sits in a script: "</" would let the HTML parser end it early
        var script = data.ToString().Replace("</", "<\\/", StringComparison.Ordinal);
        return Dashboard.Inline(page)
            .Replace("/*TITLE*/", System.Net.WebUtility.HtmlEncode(title), StringComparison.Ordinal)
            .Replace("/*DATA*/", script, StringComparison.Ordinal);
    }

    /// <summary>Writes the report of a simulation over the definitions in <paramref name="directory"/>.</summary>
    public static void Write(string path, string title, string directory, LoadResult loaded, ReportCounters counters)
    {
        // the page shows each definition as written: read the files again (they were valid a moment ago)
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*" + DefinitionLoader.JourneySuffix, SearchOption.AllDirectories))
        {
            var json = File.ReadAllText(file);
            if (DefinitionReader.ReadJourney(file, json).Definition is { } read) texts[read.Id] = json;
        }
        var journeys = loaded.Journeys.Where(j => texts.ContainsKey(j.Id)).Select(j => (j, texts[j.Id], counters.Of(j.Id)));
        File.WriteAllText(path, Html(title, journeys));
    }

    private static string Resource()
    {
        using var stream = typeof(SimulationReport).Assembly.GetManifestResourceStream("Journeys.Local.Report.report.html")
            ?? throw new InvalidOperationException("the report page is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
