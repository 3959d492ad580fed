namespace Journeys.Local.Tests.Cli;

/// <summary>
/// Every sample event log replays to its expected trace, byte for byte. The expected traces were
/// cross-checked against an independent reading of DESIGN §4-§6 (all records equal except the split
/// path, which depends on the hash function); a change to any of them is a change of behaviour.
/// </summary>
public sealed class SampleTraceTests
{
    private static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Samples, "events"), "*.jsonl")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileNameWithoutExtension(f));

    public static TheoryData<string> Cases() => new(Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_replays_to_its_expected_trace(string name)
    {
        var run = CliRun.Of("simulate", RepositoryPaths.Samples, Path.Combine(RepositoryPaths.Samples, "events", name + ".jsonl"));

        Assert.Equal(0, run.Exit);
        var expected = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "expected", name + ".trace.jsonl")).ReplaceLineEndings("\n");
        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public void Every_event_log_has_an_expected_trace_and_a_journey_that_acts_on_it()
    {
        foreach (var name in Names())
        {
            var expected = Path.Combine(RepositoryPaths.Samples, "expected", name + ".trace.jsonl");
            Assert.True(File.Exists(expected), $"missing {expected}");
            Assert.Contains("\"kind\":\"entered\"", File.ReadAllText(expected), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_in_store_abandoner_story_reads_as_the_brief_tells_it()
    {
        // Beth visits a store, buys nothing, qualifies for the streaming segment, and three days later
        // hears from the channel she consented to; someone who buys meanwhile leaves the journey.
        var run = CliRun.Of("simulate", RepositoryPaths.Samples, Path.Combine(RepositoryPaths.Samples, "events", "in-store-reengagement.jsonl"));
        var beth = run.StdoutLines.Where(l => l.Contains("\"user\":\"store-beth\"", StringComparison.Ordinal)).ToList();

        Assert.Contains("\"kind\":\"entered\"", beth[0], StringComparison.Ordinal);
        var entered = DateTimeOffset.Parse(Field(beth[0], "at"), System.Globalization.CultureInfo.InvariantCulture);
        var firstSend = beth.First(l => l.Contains("\"kind\":\"sent\"", StringComparison.Ordinal));
        Assert.True(DateTimeOffset.Parse(Field(firstSend, "at"), System.Globalization.CultureInfo.InvariantCulture) >= entered.AddDays(3));
        Assert.Contains(run.StdoutLines, l => l.Contains("\"kind\":\"exited\"", StringComparison.Ordinal) && l.Contains("\"reason\":\"event\"", StringComparison.Ordinal));
    }

    private static string Field(string json, string name)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return doc.RootElement.GetProperty(name).GetString()!;
    }
}
