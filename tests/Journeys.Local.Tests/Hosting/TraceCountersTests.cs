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
    [Fact]
    public void With_a_global_control_group_entries_and_conversions_are_counted_by_group_and_read_out()
    {
        var holdout = new GlobalControl(50);
        var users = Enumerable.Range(0, 30).Select(i => $"u{i}").ToList();
        var held = users.Where(holdout.Holds).ToList();
        var messaged = users.Except(held).ToList();
        var counters = new TraceCounters(new HashSet<string>(), holdout);
        foreach (var user in users)
        {
            counters.Add(new TraceRecord(At, user, "j", TraceKind.Entered));
        }
        foreach (var user in messaged.Take(3).Append(held[0]))
        {
            counters.Add(new TraceRecord(At, user, "j", TraceKind.Converted));
        }

        Assert.Equal(held.Count, counters.Counts["global-control:held-out"]);
        Assert.Equal(messaged.Count, counters.Counts["global-control:messaged"]);
        Assert.Equal(1, counters.Counts["global-control-converted:held-out"]);
        Assert.Equal(3, counters.Counts["global-control-converted:messaged"]);
        var readout = ExperimentReadoutBuilder.GlobalControl(counters.Counts)!;
        Assert.Equal(["held-out", "messaged"], readout.Paths.Select(p => p.Name));
        Assert.True(readout.Paths[0].Control);
        Assert.Null(readout.Paths[0].PValue);
        Assert.Equal((3.0 / messaged.Count - 1.0 / held.Count) / (1.0 / held.Count), readout.Paths[1].Lift!.Value, 9);
        Assert.NotNull(readout.Paths[1].PValue);

        var without = new TraceCounters(new HashSet<string>());
        without.Add(new TraceRecord(At, "u0", "j", TraceKind.Entered));
        Assert.DoesNotContain(without.Counts.Keys, k => k.StartsWith("global-control", StringComparison.Ordinal));
        Assert.Null(ExperimentReadoutBuilder.GlobalControl(without.Counts));
    }
}
