using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// A sample on the real Durable engine gives the simulator's trace: its waits scaled from hours to a quarter of a
/// second (and its events' times with them, starting now), each event handed to the ingestion at its scaled time
/// with that time as the processing clock; the simulator replays the same scaled journey and events.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed partial class SampleTests
{
    /// <summary>An hour becomes 0.25 s: ten days take about a minute.</summary>
    private const double Scale = 14400;

    /// <summary>The samples whose waits are all durations (clock-time delays do not scale); abandoned-cart is keyed by cart.</summary>
    [Theory]
    [InlineData("abandoned-cart")]
    [InlineData("new-customer-welcome")]
    [InlineData("discounts-favorites")]
    [InlineData("loyalty-tier-upgrade")]
    [InlineData("product-consideration")]
    public async Task A_sample_scaled_down_runs_to_the_simulators_trace(string sample)
    {
        var samples = Path.Combine(Repository.Root(), "samples");
        var sources = Directory.EnumerateFiles(Path.Combine(samples, "segments"), "*.segment.json")
            .Append(Path.Combine(samples, "journeys", sample + ".journey.json"))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), ScaleDurations(File.ReadAllText(f))))
            .ToList();
        var start = DateTimeOffset.UtcNow.AddSeconds(3);
        var events = ScaleTimes(File.ReadLines(Path.Combine(samples, "events", sample + ".jsonl")), start);
        var expected = Simulate(sources, events.Select(e => e.Line));
        Assert.True(expected.Count > 5);

        var clock = new SettableClock();
        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, sources, clock: clock);
        foreach (var (at, line) in events)
        {
            if (at - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }
            clock.Fixed = at; // processed at its scaled time, as the simulator's clock does
            await host.IngestAsync(line);
        }
        clock.Fixed = null;
        var users = expected.Select(l => User(l)).Distinct().ToList();
        await RealEngineHost.WaitUntilAsync(() => users.Sum(u => host.TraceLines(u).Count) >= expected.Count, TimeSpan.FromSeconds(60), $"{expected.Count} trace records");
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more comes

        // per user and instant the same records (records of one instant from different writers sort by writer)
        Assert.Equal(Ordered(expected), Ordered(users.SelectMany(host.TraceLines)));
        Assert.Equal(expected.Count(l => l.Contains("\"kind\":\"sent\"", StringComparison.Ordinal)), host.Delivery.Delivered.Count);
    }

    private static List<string> Simulate(IEnumerable<(string File, string Json)> sources, IEnumerable<string> events)
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

    private static string[] Ordered(IEnumerable<string> lines) =>
        [.. lines.OrderBy(User, StringComparer.Ordinal).ThenBy(At).ThenBy(l => l, StringComparer.Ordinal)];

    private static string User(string line) => JsonNode.Parse(line)!["user"]!.GetValue<string>();

    private static DateTimeOffset At(string line) => DateTimeOffset.Parse(JsonNode.Parse(line)!["at"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>Every ISO duration of days, hours, minutes, seconds divided by <see cref="Scale"/>.</summary>
    private static string ScaleDurations(string json) => Duration().Replace(json, m =>
    {
        var days = Part(m, "d");
        var seconds = days * 86400 + Part(m, "h") * 3600 + Part(m, "m") * 60 + Part(m, "s");
        return "\"PT" + (seconds / Scale).ToString("0.######", CultureInfo.InvariantCulture) + "S\"";
    });

    private static double Part(Match m, string group) =>
        m.Groups[group].Success ? double.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    private static List<(DateTimeOffset At, string Line)> ScaleTimes(IEnumerable<string> lines, DateTimeOffset start)
    {
        var parsed = lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        var first = DateTimeOffset.Parse(parsed[0]["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var result = new List<(DateTimeOffset, string)>();
        foreach (var e in parsed)
        {
            var at = DateTimeOffset.Parse(e["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            var scaled = start + TimeSpan.FromTicks((long)((at - first).Ticks / Scale));
            scaled = new DateTimeOffset(scaled.UtcTicks - scaled.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
            e["timestamp"] = scaled.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            result.Add((scaled, e.ToJsonString()));
        }
        return result;
    }

    [GeneratedRegex("\"P(?:(?<d>\\d+)D)?(?:T(?:(?<h>\\d+)H)?(?:(?<m>\\d+)M)?(?:(?<s>\\d+(?:\\.\\d+)?)S)?)?\"")]
    private static partial Regex Duration();
}
