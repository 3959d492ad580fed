using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Orchestration;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests;

/// <summary>
/// A journey's <c>limits</c> (DESIGN §10) on the Azure ingestion, on Azurite: counted in the counters table under
/// ETags, checked after cap as the single-node runtime does, with the same trace; safe with several instances
/// counting at once and with a batch handed in again.
/// </summary>
public sealed class EntryLimitTests
{
    private static readonly (string File, string Json)[] Sources =
    [
        ("capped.journey.json", """
            {"id":"capped","entry":{"event":"Ping"},"limits":{"entriesPerDay":2,"entriesTotal":3},
             "start":"wait","steps":{"wait":{"type":"delay","for":"PT1M"}}}
            """),
    ];

    private static string Ping(string id, string user, string at) =>
        $$"""{"type":"track","messageId":"{{id}}","userId":"{{user}}","event":"Ping","timestamp":"{{at}}"}""";

    // day 1: two enter, the third is over entriesPerDay; day 2: one more (total 3), then over entriesTotal
    private static readonly string[] Events =
    [
        Ping("m1", "u1", "2026-12-01T09:00:00Z"),
        Ping("m2", "u2", "2026-12-01T10:00:00Z"),
        Ping("m3", "u3", "2026-12-01T11:00:00Z"),
        Ping("m4", "u3", "2026-12-02T09:00:00Z"),
        Ping("m5", "u4", "2026-12-02T10:00:00Z"),
    ];

    [Fact]
    public void Entries_beyond_the_limits_are_rejected_with_the_single_node_runtimes_trace()
    {
        var expected = ScaledSamples.Simulate(Sources, Events);
        Assert.Equal(2, expected.Count(l => l.Contains("\"reason\":\"limit\"", StringComparison.Ordinal))); // the simulator rejects u3 on day 1 and u4

        var azurite = new Azurite();
        var counters = new TableEntryCounters(azurite.Tables);
        var harness = new AzureHarness(Sources, azurite.Tables.Stores(), new TableUserPartition(azurite.Tables), counters: counters);
        harness.Replay(Events);

        Assert.Equal(expected, Lines(harness.Trace));
        Assert.Equal(3, counters.EntriesTotal("capped"));
        Assert.Equal(2, counters.EntriesOn("capped", new DateOnly(2026, 12, 1)));
        Assert.Equal(1, counters.EntriesOn("capped", new DateOnly(2026, 12, 2)));
    }

    [Fact]
    public void A_batch_handed_in_again_counts_nothing_again()
    {
        var azurite = new Azurite();
        var counters = new TableEntryCounters(azurite.Tables);
        var harness = new AzureHarness(Sources, azurite.Tables.Stores(), new TableUserPartition(azurite.Tables), counters: counters);
        // Event Hubs hands the batch of m1 and m2 in again before m3: both are duplicates
        harness.Replay([Events[0], Events[1], Events[0], Events[1], Events[2]]);

        Assert.Equal(2, counters.EntriesTotal("capped"));
        Assert.Equal(2, counters.EntriesOn("capped", new DateOnly(2026, 12, 1)));
        Assert.Equal(2, harness.Trace.Count(r => r.Kind == TraceKind.Entered));
        var u3 = Assert.Single(harness.Trace, r => r.Kind == TraceKind.Rejected); // no repeat decided again; the day's limit still sees two, not four
        Assert.Equal(("u3", TraceReason.Limit), (u3.User, u3.Reason));
    }

    [Fact]
    public async Task Instances_counting_at_once_never_take_more_than_the_limit()
    {
        var azurite = new Azurite();
        var limits = new JourneyLimits(EntriesPerDay: null, EntriesTotal: 10);
        var at = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
        // four instances, each with its own client to the same table, 8 entries each: 32 tries for 10 places
        var instances = Enumerable.Range(0, 4)
            .Select(_ => new TableEntryCounters(new JourneyTables(new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System, azurite.Tables.Prefix)))
            .ToList();
        var taken = await Task.WhenAll(instances.Select(c => Task.Run(() => Enumerable.Range(0, 8).Count(_ => c.TryRecordEntry("busy", at, limits)))));

        Assert.Equal(10, taken.Sum());
        Assert.Equal(10, instances[0].EntriesTotal("busy"));
        Assert.Equal(10, instances[0].EntriesOn("busy", new DateOnly(2026, 12, 1)));
    }

    private static string[] Lines(IEnumerable<TraceRecord> records)
    {
        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new TraceLineWriter(text))
        {
            foreach (var record in records) writer.Write(record);
        }
        return text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
