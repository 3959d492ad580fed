using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;
using Journeys.Core.Tests.Definitions;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// What the Azure ingestion costs in storage transactions (one per partition read, one per atomic
/// write: the Table Storage implementation maps each call to one) and that it decides what the
/// single-node runtime decides. docs/azure.md quotes these numbers.
/// </summary>
public sealed class IngestionCostTests
{
    private static int _messageNo;

    private static AzureHarness Samples()
    {
        return new AzureHarness(AzureHarness.DirectorySources(Path.Combine(DefinitionKit.RepositoryRoot(), "samples")));
    }

    private static CustomerEvent Track(string user, string name, string at, object? properties = null, string? messageId = null) =>
        EventParser.Parse(Events.Track(messageId ?? $"c-{Interlocked.Increment(ref _messageNo)}", user, name, Times.At(at), properties)).Event!;

    private static CustomerEvent Identify(string user, string at, object traits) =>
        EventParser.Parse(Events.Identify($"c-{Interlocked.Increment(ref _messageNo)}", user, Times.At(at), traits)).Event!;

    private static (int Reads, int Writes) Cost(AzureHarness harness, Action act)
    {
        var (reads, writes) = (harness.Partition.Reads, harness.Partition.Writes);
        act();
        return (harness.Partition.Reads - reads, harness.Partition.Writes - writes);
    }

    [Fact]
    public void A_track_event_that_concerns_no_journey_costs_one_read_and_one_write()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com" }));

        Assert.Equal((1, 1), Cost(harness, () => harness.Ingest(Track("u1", "PageViewed", "10:00"))));
        // a cart under the entry's threshold meets no entry condition either
        Assert.Equal((1, 1), Cost(harness, () => harness.Ingest(Track("u1", "CartAbandoned", "10:01", new { cartValue = 20 }))));
        Assert.Equal(0, harness.Starts);
        Assert.Equal(0, harness.Deliveries);
        Assert.Equal(2, harness.Stores.History.Get("u1").Count);
    }

    [Fact]
    public void An_identify_that_concerns_no_journey_costs_one_read_and_one_write()
    {
        var harness = Samples();

        Assert.Equal((1, 1), Cost(harness, () => harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com", firstName = "Ann" }))));
        Assert.Equal((1, 1), Cost(harness, () => harness.Ingest(Identify("u1", "09:05", new { firstName = (string?)null }))));
        Assert.True(harness.Stores.Profiles.Find("u1")!.Trait("firstName").IsMissing);
    }

    [Fact]
    public void Leaving_a_streaming_segment_is_written_with_the_event()
    {
        var harness = AzureHarness.FromJson(
            ["""{"id":"j","entry":{"segment":"browsing"},"reentry":{"mode":"multiple"},"start":"s","steps":{"s":{"type":"exit"}}}"""],
            ["""{"id":"browsing","when":{"notPerformed":"Purchase","within":"PT1H"}}"""]);
        harness.Ingest(Track("u1", "PageViewed", "10:00")); // joins: an entry, which exits at once
        Assert.Contains("browsing", harness.Stores.Memberships.SegmentsOf("u1"));

        var cost = Cost(harness, () => harness.Ingest(Track("u1", "Purchase", "10:30")));

        Assert.Equal((1, 1), cost);
        Assert.Empty(harness.Stores.Memberships.SegmentsOf("u1"));
        Assert.Equal(1, harness.Starts);
    }

    [Fact]
    public void A_repeated_message_is_acknowledged_and_changes_nothing()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com" }));
        var cart = Track("u1", "CartAbandoned", "10:00", new { cartValue = 80 }, messageId: "cart-1");
        Assert.Equal(IngestOutcome.Accepted, harness.Ingestor.Ingest(cart, Times.At("10:00")));
        var trace = harness.Trace.Count;

        Assert.Equal(IngestOutcome.Duplicate, harness.Ingestor.Ingest(cart, Times.At("10:00")));
        Assert.Equal(trace, harness.Trace.Count);
        Assert.Equal(1, harness.Starts);
        Assert.Single(harness.Stores.History.Get("u1"));
    }

    [Fact]
    public void An_entry_costs_a_read_the_event_write_the_entry_write_and_a_read_after()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com" }));

        var cost = Cost(harness, () => harness.Ingest(Track("u1", "CartAbandoned", "10:00", new { cartValue = 80 })));

        Assert.Equal((2, 2), cost);
        Assert.Equal(1, harness.Starts);
        var state = harness.Stores.Enrollments.FindActive("abandoned-cart", "u1")!;
        Assert.Equal("abandoned-cart:u1:1", state.EnrollmentId);
        Assert.Equal([Times.At("10:00")], harness.Stores.Entries.Entries("abandoned-cart", "u1"));
    }

    [Fact]
    public void An_event_for_an_active_enrollment_costs_one_more_read_after_the_delivery()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com" }));
        harness.Ingest(Track("u1", "CartAbandoned", "10:00", new { cartValue = 80 }));

        var cost = Cost(harness, () => harness.Ingest(Track("u1", "Purchase", "10:10"))); // the journey's waitFor event

        Assert.Equal((2, 1), cost);
        Assert.Equal(1, harness.Deliveries);
    }

    [Fact]
    public void An_event_no_active_enrollment_reacts_to_costs_what_an_unmatched_one_does_and_wakes_none()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com" }));
        harness.Ingest(Track("u1", "CartAbandoned", "10:00", new { cartValue = 80 }));

        var cost = Cost(harness, () => harness.Ingest(Track("u1", "PageViewed", "10:10")));

        Assert.Equal((1, 1), cost); // EntryRules.Reaches: the journey names no PageViewed, so its enrollment is not woken
        Assert.Equal(0, harness.Deliveries);
    }

    [Fact]
    public void One_enrollment_through_the_abandoned_cart_costs_counted_activities_and_history_events()
    {
        var harness = Samples();
        harness.Ingest(Identify("u1", "09:00", new { email = "u1@example.com", phone = "+15550100", consent = new { sms = true } }));
        harness.Ingest(Track("u1", "CartAbandoned", "10:00", new { cartValue = 80 }));
        harness.AdvanceTo(Times.At("+2d 10:00")); // the reminder after an hour, the SMS after a day

        var instance = harness.Host.Instances["abandoned-cart:u1:1"];
        TraceText.Equal(
            ["10:00 u1 abandoned-cart entered", "11:00 u1 abandoned-cart sent remind email",
             "+1d 11:00 u1 abandoned-cart path check timeout", "+1d 11:00 u1 abandoned-cart sent discount sms", "+1d 11:00 u1 abandoned-cart completed"],
            harness.Trace);
        // three decisions (start, two timers): each pulls its context (the first with the definition) and applies its
        // effects, the two sends within their decisions' applies
        Assert.Equal(0, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.LoadDefinition));
        Assert.Equal(3, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.Pull));
        Assert.Equal(3, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.Apply));
        Assert.Equal(0, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.Send));
        Assert.Equal(2, harness.Sends.Count);
        Assert.Equal(9, instance.Replays); // the start, one per activity result, one per timer
        // 9 episodes (2 markers each), 9 messages (start, 6 activity results, 2 timers), 8 commands, completion
        Assert.Equal(36, instance.HistoryEvents);
    }

    [Fact]
    public void One_ping_enrollment_of_the_dev_host_benchmark_costs_four_activities_and_six_episodes()
    {
        var harness = AzureHarness.FromJson([File.ReadAllText(Path.Combine(DefinitionKit.RepositoryRoot(), "bench", "devhost", "ping.journey.json"))]);
        harness.Ingest(Identify("u1", "09:00", new { firstName = "U", email = "u1@example.com" }));
        harness.Ingest(Track("u1", "Ping", "10:00"));
        harness.AdvanceTo(Times.At("10:01"));

        var instance = harness.Host.Instances["ping:u1:1"];
        Assert.Equal("Completed", instance.Output);
        // the first pull with the definition, the start's apply, the timer, a pull, the timer's apply with the email
        Assert.Equal([ActivityNames.Pull, ActivityNames.Apply, ActivityNames.Pull, ActivityNames.Apply], harness.Host.ActivityCalls.Select(c => c.Name));
        Assert.Single(harness.Sends);
        Assert.Equal(6, instance.Replays); // the start, four activity results, the timer
        // 6 episodes (2 markers each), 6 messages (start, 4 activity results, the timer), 5 commands, completion
        Assert.Equal(24, instance.HistoryEvents);
    }

    [Fact]
    public void A_partition_that_changed_under_the_commit_is_read_again_and_nothing_is_signalled_twice()
    {
        var stores = InMemoryStores.Create();
        var partition = new ConflictOnce(new StoreUserPartition(stores));
        var signals = new CountingSignals();
        var definitions = Defs.Compile([
            """{"id":"j","entry":{"event":"Go"},"start":"s","steps":{"s":{"type":"delay","for":"P1D"}}}""",
        ]);
        var ingestor = new EventIngestor(() => definitions, partition, signals, new NoOutput());

        Assert.Equal(IngestOutcome.Accepted, ingestor.Ingest(Track("u1", "Go", "10:00"), Times.At("10:00")));

        Assert.Equal(2, partition.Commits);
        Assert.Equal(1, signals.Started);
        Assert.Single(stores.History.Get("u1"));
    }

    private const string KeyedCart = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},"reentry":{"mode":"multiple"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"Purchase","timeout":"P7D","onEvent":"done","onTimeout":"done"},"done":{"type":"exit"}}}
        """;

    /// <summary>Open enrollments of <paramref name="carts"/> keys, written into the stores as the entries would have.</summary>
    internal static void OpenCarts(RuntimeStores stores, string user, int carts)
    {
        for (var i = 0; i < carts; i++)
        {
            var key = $"c{i}";
            stores.Entries.Record(EntryKeys.Scope("cart", key), user, Times.At("09:00"));
            stores.Enrollments.Save(new EnrollmentState
            {
                EnrollmentId = EnrollmentState.IdFor("cart", user, key, 1), JourneyId = "cart", Version = 1, UserId = user, EntryNo = 1,
                EnteredAt = Times.At("09:00"), Key = key,
            });
        }
    }

    [Fact]
    public void Ten_thousand_open_keys_are_not_read_for_an_unrelated_event_and_one_carts_event_reads_its_own()
    {
        var harness = AzureHarness.FromJson([KeyedCart]);
        OpenCarts(harness.Stores, "many", 10_000);
        harness.Ingest(Identify("many", "09:00", new { email = "m@example.com" }));
        harness.Ingest(Identify("none", "09:00", new { email = "n@example.com" }));
        long Rows(Action act)
        {
            var before = harness.Partition.EnrollmentRowsRead;
            act();
            return harness.Partition.EnrollmentRowsRead - before;
        }
        (int, int) cost = default;

        var unrelated = Rows(() => cost = Cost(harness, () => harness.Ingest(Track("many", "PageViewed", "10:00"))));
        Assert.Equal((0, (1, 1)), (unrelated, cost));
        Assert.Equal((1, 1), Cost(harness, () => harness.Ingest(Track("none", "PageViewed", "10:00"))));
        var identify = Rows(() => cost = Cost(harness, () => harness.Ingest(Identify("many", "10:01", new { firstName = "Ann" }))));
        Assert.Equal((0, (1, 1)), (identify, cost));

        // a purchase of one cart reads that cart's enrollment only (read, write, read after the wake) and wakes it alone
        var purchase = Rows(() => cost = Cost(harness, () => harness.Ingest(Track("many", "Purchase", "10:02", new { cartId = "c42" }))));
        Assert.Equal((1, (2, 1)), (purchase, cost)); // its row; the read after the wake finds it gone (it exits on the purchase)
        Assert.Equal(1, harness.Deliveries);

        // a new cart enters: its key has no enrollment yet, so nothing of the 10,000 is read
        var entry = Rows(() => cost = Cost(harness, () => harness.Ingest(Track("many", "CartAbandoned", "10:03", new { cartId = "new" }))));
        Assert.Equal((1, (2, 2)), (entry, cost)); // the read after the entry finds the new one
        Assert.Equal(1, harness.Starts);
        Assert.Equal(10_000, harness.Stores.Enrollments.ActiveFor("many").Count); // c42 left, the new one came
    }

    private sealed class ConflictOnce(StoreUserPartition inner) : IUserPartition
    {
        public int Commits { get; private set; }

        public UserSnapshot Load(string userId, string? messageId, PartitionScope scope) => inner.Load(userId, messageId, scope);

        public CommitOutcome Commit(UserChanges changes) => ++Commits == 1 ? CommitOutcome.Conflict : inner.Commit(changes);

        public bool RecordEntry(EnrollmentState started, JourneyEntries previous, string? marker = null) => inner.RecordEntry(started, previous, marker);

        public void RequestSegmentExit(EnrollmentState enrollment, SegmentExit exit) => inner.RequestSegmentExit(enrollment, exit);

        public void RequestStop(EnrollmentState enrollment, DateTimeOffset at) => inner.RequestStop(enrollment, at);

        public IEnumerable<string> UserIds() => inner.UserIds();

        public IEnumerable<EnrollmentState> ActiveIn(string journeyId) => inner.ActiveIn(journeyId);
    }

    private sealed class CountingSignals : IEnrollmentSignals
    {
        public int Started { get; private set; }

        public void Start(EnrollmentState state) => Started++;

        public void Wake(EnrollmentState state)
        {
        }
    }

    private sealed class NoOutput : IRuntimeOutput
    {
        public void Trace(TraceRecord record)
        {
        }

        public void Send(SendMessage message)
        {
        }
    }
}
