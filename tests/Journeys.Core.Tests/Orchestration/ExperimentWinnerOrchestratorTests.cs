using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// An experiment split with a <c>winner</c> rule (DESIGN §10) through the Azure ingestion and one orchestration per
/// enrollment (fake Durable host, which replays every episode): the tallies reach the engine only through the pulls,
/// the applies record assignments and the winner, the ingestion converts; the single-node runtime's trace results.
/// </summary>
public sealed class ExperimentWinnerOrchestratorTests
{
    private const string Experiment = """
        {"id":"exp","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"pick",
         "steps":{"pick":{"type":"split","experiment":{"metric":"Bought","window":"P1D","winner":{"after":"PT1H","minPerPath":5}},
                          "paths":[{"name":"control","percent":50,"control":true,"next":null},{"name":"b","percent":50,"next":"hook"}]},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/b"}}}}
        """;

    private static int _messageNo;

    private static string Track(string user, string name, string at) =>
        Events.Track($"xw-{Interlocked.Increment(ref _messageNo)}", user, name, Times.At(at));

    [Fact]
    public void Conversions_on_one_path_choose_it_and_later_entrants_take_it_as_on_the_single_node_runtime()
    {
        var first = Enumerable.Range(0, 30).Select(i => $"u{i:00}").ToList();
        var onB = first.Where(u => SplitHash.Bucket("exp", "pick", u) >= 50).ToList(); // the hash's second half takes b
        Assert.InRange(onB.Count, 5, first.Count - 5);
        string[] events =
        [
            .. first.Select(u => Track(u, "Go", "10:00")),
            .. onB.Select(u => Track(u, "Bought", "10:10")),
            .. onB.Take(2).Select(u => Track(u, "Bought", "10:20")), // once per assignment
            .. Enumerable.Range(0, 10).Select(i => Track($"n{i}", "Go", "12:00")),
            Track("u00", "Go", "12:30"), // a re-entry takes the winner too
        ];
        var serve = Scenario.Create([Experiment], []);
        foreach (var e in events)
        {
            serve.Ingest(e);
        }
        serve.Drain();

        var harness = AzureHarness.FromJson([Experiment]);
        harness.ApplyRetries = 1; // every apply runs twice: nothing is counted twice
        harness.Replay(events);

        Assert.Equal([.. serve.Lines], [.. harness.Trace.Select(TraceText.Line)]);
        var tally = harness.Experiments.Tally("exp", "pick");
        Assert.Equal("b", tally.Winner);
        Assert.Equal(new(onB.Count + 11, onB.Count), tally.Path("b"));
        Assert.Equal(new(first.Count - onB.Count, 0), tally.Path("control"));
        Assert.Equal(11, harness.Trace.Count(t => t.Winner));
    }

    [Fact]
    public void A_journey_without_a_winner_rule_pulls_no_tallies()
    {
        var plain = Experiment.Replace(""","winner":{"after":"PT1H","minPerPath":5}""", "", StringComparison.Ordinal);
        var harness = AzureHarness.FromJson([plain]);
        harness.Replay([Track("u1", "Go", "10:00"), Track("u1", "Bought", "10:10")]);

        Assert.Equal(ExperimentTally.Empty.Paths, harness.Experiments.Tally("exp", "pick").Paths);
        Assert.Null(harness.Experiments.Assignment("exp", "pick", "u1"));
    }
}
