using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Functions.Tests.RealEngine;

namespace Journeys.Functions.Tests;

/// <summary>
/// Samples scaled down to run in real time (issue 9's sample number): their journeys' durations divided by a scale,
/// their events' times with them from a start instant, and the simulator's trace of the same scaled journeys and events
/// to compare a runtime's trace with. Used by the real-engine and the dev-host sample tests.
/// </summary>
internal static partial class ScaledSamples
{
    /// <summary>
    /// The samples whose waits are all durations (clock-time delays do not scale). abandoned-cart (keyed by cart) has
    /// them too, but its events half an hour apart are 50 ms apart at the dev host's scale, less than an Apply's
    /// commit takes on a loaded machine: an entry check then sees the enrollment before its end is written. It runs
    /// on the real engine with a settable clock (<see cref="RealEngine.SampleTests"/>).
    /// </summary>
    public static readonly IReadOnlyList<string> WithDurationWaits =
        ["new-customer-welcome", "discounts-favorites", "loyalty-tier-upgrade", "product-consideration"];

    private static string Samples => Path.Combine(Repository.Root(), "samples");

    /// <summary>Every segment and the named samples' journeys, as (file name, JSON) with their durations scaled.</summary>
    public static List<(string File, string Json)> Sources(IEnumerable<string> samples, double scale) =>
        Directory.EnumerateFiles(Path.Combine(Samples, "segments"), "*.segment.json")
            .Concat(samples.Select(s => Path.Combine(Samples, "journeys", s + ".journey.json")))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), ScaleDurations(File.ReadAllText(f), scale)))
            .ToList();

    /// <summary>The named samples' events in time order (a stable merge), their times scaled from the earliest one to <paramref name="start"/>.</summary>
    public static List<(DateTimeOffset At, string Line)> Events(IEnumerable<string> samples, DateTimeOffset start, double scale)
    {
        var parsed = samples
            .SelectMany(s => File.ReadLines(Path.Combine(Samples, "events", s + ".jsonl")))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(e => (At: DateTimeOffset.Parse(e["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture), Event: e))
            .OrderBy(e => e.At)
            .ToList();
        var first = parsed[0].At;
        var result = new List<(DateTimeOffset, string)>();
        foreach (var (at, e) in parsed)
        {
            var scaled = start + TimeSpan.FromTicks((long)((at - first).Ticks / scale));
            scaled = new DateTimeOffset(scaled.UtcTicks - scaled.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            e["timestamp"] = scaled.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            result.Add((scaled, e.ToJsonString()));
        }
        return result;
    }

    /// <summary>The simulator's trace of <paramref name="events"/> through <paramref name="sources"/>, as JSON lines.</summary>
    public static List<string> Simulate(IEnumerable<(string File, string Json)> sources, IEnumerable<string> events)
    {
        var loaded = DefinitionLoader.Load(sources);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        var records = new List<TraceRecord>();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", events) + "\n"));
        new Simulator(DefinitionSet.From(loaded)).Run(input, "scaled", records.Add, TextWriter.Null);
        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new TraceLineWriter(text))
        {
            records.ForEach(writer.Write);
        }
        return [.. text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Per user and instant (records of one instant from different writers sort by writer, so by their text).</summary>
    public static string[] Ordered(IEnumerable<string> lines) =>
        [.. lines.OrderBy(User, StringComparer.Ordinal).ThenBy(At).ThenBy(l => l, StringComparer.Ordinal)];

    public static string User(string line) => JsonNode.Parse(line)!["user"]!.GetValue<string>();

    public static DateTimeOffset At(string line) => DateTimeOffset.Parse(JsonNode.Parse(line)!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>The record without its time (and fields a runtime adds of its own): what must match exactly when times come from a real clock.</summary>
    public static string WithoutAt(string line)
    {
        var record = JsonNode.Parse(line)!.AsObject();
        record.Remove("at");
        record.Remove("until"); // a deferred send's opening: a time too
        return record.ToJsonString();
    }

    public static int Sent(IEnumerable<string> lines) => lines.Count(l => l.Contains("\"kind\":\"sent\"", StringComparison.Ordinal));

    /// <summary>Every ISO duration of days, hours, minutes, seconds divided by <paramref name="scale"/>.</summary>
    private static string ScaleDurations(string json, double scale) => Duration().Replace(json, m =>
    {
        var days = Part(m, "d");
        var seconds = days * 86400 + Part(m, "h") * 3600 + Part(m, "m") * 60 + Part(m, "s");
        return "\"PT" + (seconds / scale).ToString("0.######", CultureInfo.InvariantCulture) + "S\"";
    });

    private static double Part(Match m, string group) =>
        m.Groups[group].Success ? double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex("\"P(?:(?<d>\\d+)D)?(?:T(?:(?<h>\\d+)H)?(?:(?<m>\\d+)M)?(?:(?<s>\\d+(?:\\.\\d+)?)S)?)?\"")]
    private static partial Regex Duration();
}
