using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Api;
using Journeys.Hosting.Stats;

namespace Journeys.Local.Tests.Stats;

/// <summary>
/// The Functions app's stats come from its trace (<see cref="TraceCounters"/>): attribution to the last send, the
/// winner from <c>"winner": true</c>, and an experiment readout that falls back to the split's path counts.
/// </summary>
public sealed class TraceReadoutTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private const string Journey = """
        {"id":"j","entry":{"event":"Go"},"goal":{"event":"Purchase"},"start":"ab",
         "steps":{"ab":{"type":"split","experiment":{"window":"P1D"},
                        "paths":[{"name":"control","percent":50,"control":true},{"name":"email","percent":50,"next":"mail"}]},
                  "mail":{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"next":"sms"},
                  "sms":{"type":"send","channel":"sms","content":{"text":"t"}}}}
        """;

    [Fact]
    public void Conversions_are_credited_to_the_last_send_and_the_readout_uses_path_counts()
    {
        var counters = new TraceCounters(new HashSet<string>(["ab"]));
        void Add(string user, string kind, string? step = null, string? channel = null, string? path = null, bool winner = false) =>
            counters.Add(new TraceRecord(At, user, "j", kind, step, channel, path) { Winner = winner }.ToJson());
        Add("ann", TraceKind.Entered);
        Add("ann", TraceKind.Path, "ab", path: "email");
        Add("ann", TraceKind.Sent, "mail", "email");
        Add("ann", TraceKind.Sent, "sms", "sms");
        Add("ann", TraceKind.Converted);
        Add("bob", TraceKind.Entered);
        Add("bob", TraceKind.Path, "ab", path: "email");
        Add("bob", TraceKind.Sent, "mail", "email");
        Add("bob", TraceKind.Converted);
        Add("cy", TraceKind.Entered);
        Add("cy", TraceKind.Path, "ab", path: "control");
        Add("cy", TraceKind.Converted); // no message before it: not credited
        Add("dee", TraceKind.Entered);
        Add("dee", TraceKind.Path, "ab", path: "email", winner: true);

        Assert.Equal(1, counters.Counts["attributed:sms"]);
        Assert.Equal(1, counters.Counts["attributed:mail"]);
        Assert.Equal(1, counters.Counts["winner:ab:email"]);

        var definition = DefinitionReader.ReadJourney("j.journey.json", Journey).Definition!;
        var stats = JourneyStatsBuilder.Build(new JourneyCounts(new JourneySummary("j", null, 1, "active"), counters.Active, counters.Counts), definition);
        Assert.Equal(new Dictionary<string, long> { ["mail"] = 1, ["sms"] = 1 }, stats.Attribution);
        var readout = stats.Experiments["ab"];
        Assert.Equal("email", readout.Winner);
        var email = readout.Paths.Single(p => p.Name == "email");
        Assert.Equal((3, 2), (email.Entered, email.Converted));
        Assert.True(email.Winner);
        var control = readout.Paths.Single(p => p.Control);
        Assert.Equal((1, 1), (control.Entered, control.Converted));
        Assert.Null(control.PValue);
        Assert.NotNull(email.PValue);
        Assert.InRange(email.Rate, email.Interval.Low, email.Interval.High);
        // edges derived from the counts the trace gives: a split path's, a send's moves to its next, and to the end
        // where there is no next (the control path, the last send)
        Assert.Equal([new EdgeCounts("ab", "(end)", 1), new EdgeCounts("ab", "mail", 3), new EdgeCounts("mail", "sms", 2), new EdgeCounts("sms", "(end)", 1)], stats.Edges);
    }
}
