using Journeys.Core.Engine;
using Journeys.Hosting.Stats;

namespace Journeys.Local.Tests.Hosting;

/// <summary>Counters from the trace alone (the Functions app's stats): the same metric names serve keeps on its write path.</summary>
public sealed class TraceCountersTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Entries_sends_paths_and_ends_are_counted_and_active_is_entered_minus_ended()
    {
        var counters = new TraceCounters(new HashSet<string>(["ab"]));
        foreach (var user in new[] { "ann", "bob", "cy" })
        {
            counters.Add(new TraceRecord(At, user, "j", TraceKind.Entered));
        }
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Path, Step: "ab", Path: "treatment"));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Sent, Step: "mail", Channel: "email"));
        counters.Add(new TraceRecord(At, "bob", "j", TraceKind.Path, Step: "ab", Path: "control"));
        counters.Add(new TraceRecord(At, "bob", "j", TraceKind.Suppressed, Step: "mail", Channel: "email", Reason: TraceReason.NoConsent));
        counters.Add(new TraceRecord(At, "bob", "j", TraceKind.Path, Step: "check", Path: "timeout"));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Converted));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Exited, Reason: TraceReason.Goal));
        counters.Add(new TraceRecord(At, "bob", "j", TraceKind.Completed));
        counters.Add("""{"at":"2026-12-01T10:00:00Z","user":"dee","journey":"j","kind":"rejected","reason":"once"}""");
        counters.Add("not a record");

        var counts = counters.Counts;
        Assert.Equal(3, counts["entered"]);
        Assert.Equal(1, counts["sent:email"]);
        Assert.Equal(1, counts["suppressed:email"]);
        Assert.Equal(2, counts["step:mail"]);
        Assert.Equal(1, counts["path:ab:treatment"]);
        Assert.Equal(1, counts["path-converted:ab:treatment"]);
        Assert.False(counts.ContainsKey("path-converted:ab:control"));
        Assert.False(counts.ContainsKey("path-converted:check:timeout")); // a waitFor outcome is not a split path
        Assert.Equal(1, counts["exited:goal"]);
        Assert.Equal(1, counts["rejected:once"]);
        Assert.Equal(1, counters.Active);
    }

    [Fact]
    public void A_new_entry_forgets_the_paths_of_the_one_before()
    {
        var counters = new TraceCounters(new HashSet<string>(["ab"]));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Entered));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Path, Step: "ab", Path: "treatment"));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Completed));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Entered));
        counters.Add(new TraceRecord(At, "ann", "j", TraceKind.Converted));
        Assert.False(counters.Counts.ContainsKey("path-converted:ab:treatment"));
    }
}
