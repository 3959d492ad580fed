using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Orchestration;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests;

/// <summary>
/// The Azure ingestion on Table Storage: an event that concerns no journey is two requests (one query,
/// one entity-group transaction), repeats are caught by the partition read, and every sample replays
/// on Azurite to the simulator's trace.
/// </summary>
public sealed class TableUserPartitionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static string Samples => Path.Combine(RepositoryRoot(), "samples");

    private static AzureHarness Harness(Azurite azurite) =>
        new(AzureHarness.DirectorySources(Samples), azurite.Tables.Stores(), new TableUserPartition(azurite.Tables));

    private static CustomerEvent Parse(string json) => EventParser.Parse(json).Event!;

    [Fact]
    public void An_event_that_concerns_no_journey_is_one_query_and_one_transaction()
    {
        var azurite = new Azurite();
        var harness = Harness(azurite);
        harness.Ingest(Parse("""{"type":"identify","messageId":"m0","userId":"u1","traits":{"email":"u1@example.com"},"timestamp":"2026-12-01T09:00:00Z"}"""));

        var requests = azurite.Count(() => harness.Ingest(Parse("""{"type":"track","messageId":"m1","userId":"u1","event":"PageViewed","timestamp":"2026-12-01T10:00:00Z"}""")));
        var identify = azurite.Count(() => harness.Ingest(Parse("""{"type":"identify","messageId":"m2","userId":"u1","traits":{"firstName":"Ann"},"timestamp":"2026-12-01T10:01:00Z"}""")));

        Assert.Equal(2, requests);
        Assert.Equal(2, identify);
        Assert.Equal(["PageViewed"], azurite.Tables.Stores().History.Get("u1").Select(h => h.Event));
    }

    [Fact]
    public void A_repeat_is_seen_by_the_partition_read_and_costs_one_request()
    {
        var azurite = new Azurite();
        var partition = new TableUserPartition(azurite.Tables);
        var ingestor = Harness(azurite).Ingestor;
        var e = Parse("""{"type":"track","messageId":"m1","userId":"u1","event":"PageViewed","timestamp":"2026-12-01T10:00:00Z"}""");
        Assert.Equal(IngestOutcome.Accepted, ingestor.Ingest(e, T0));

        var requests = azurite.Count(() => Assert.Equal(IngestOutcome.Duplicate, ingestor.Ingest(e, T0)));

        Assert.Equal(1, requests);
        Assert.True(partition.Load("u1", "m1").Seen);
    }

    [Fact]
    public void A_commit_against_a_changed_profile_is_a_conflict()
    {
        var azurite = new Azurite();
        var partition = new TableUserPartition(azurite.Tables);
        var stores = azurite.Tables.Stores();
        stores.Profiles.Save(Profile.Empty("u1"));
        var snapshot = partition.Load("u1", "m1");
        stores.Profiles.Save(Profile.Empty("u1").Merge(Value.From(new Dictionary<string, Value> { ["tier"] = Value.From("gold") })));

        var outcome = partition.Commit(new UserChanges("u1", "m1", Profile.Empty("u1"), snapshot.ProfileVersion));

        Assert.Equal(CommitOutcome.Conflict, outcome);
        Assert.False(partition.Load("u1", "m1").Seen); // nothing of the failed transaction was written
    }

    [Theory]
    [InlineData("u1", null)]
    [InlineData("u1", "c/1")]
    [InlineData("a:b", null)]
    [InlineData("a:b", "c:2")]
    public void A_keyed_enrollment_has_a_row_of_its_own_found_again_by_its_id(string user, string? key)
    {
        var azurite = new Azurite();
        var store = azurite.Tables.Stores().Enrollments;
        EnrollmentState State(string? k) => new()
        {
            EnrollmentId = EnrollmentState.IdFor("cart", user, k, 1), JourneyId = "cart", Version = 1, UserId = user, EntryNo = 1, EnteredAt = T0, Key = k,
        };
        store.Save(State(key));
        store.Save(State(key is null ? "other" : null)); // the same journey and entry number, another key (or none)

        var found = store.Get(EnrollmentState.IdFor("cart", user, key, 1));

        Assert.Equal((user, key), (found!.UserId, found.Key));
        Assert.Equal(2, store.ActiveFor(user).Count);
        Assert.Equal(UserRows.Enrollment(found), UserRows.EnrollmentRow(found.EnrollmentId, user));
    }

    private const string KeyedCart = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},"reentry":{"mode":"multiple"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"Purchase","timeout":"P7D","onEvent":"done","onTimeout":"done"},"done":{"type":"exit"}}}
        """;

    [Fact]
    public void Ten_thousand_open_keys_are_not_read_for_an_unrelated_event_and_one_carts_event_reads_its_own()
    {
        const int Carts = 10_000;
        var azurite = new Azurite();
        var partition = new TableUserPartition(azurite.Tables);
        var harness = new AzureHarness(AzureHarness.Sources([KeyedCart]), azurite.Tables.Stores(), partition);
        // the carts' enrollment and ledger rows as their entries wrote them, 100 rows to a batch
        var rows = Enumerable.Range(0, Carts).SelectMany(i => new[]
        {
            TableEnrollmentStore.ToEntity(new EnrollmentState
            {
                EnrollmentId = EnrollmentState.IdFor("cart", "many", $"c{i}", 1), JourneyId = "cart", Version = 1, UserId = "many", EntryNo = 1, EnteredAt = T0, Key = $"c{i}",
            }),
            TableEntryLedger.ToEntity(EntryKeys.Scope("cart", $"c{i}"), "many", [T0]),
        });
        foreach (var batch in rows.Chunk(100))
        {
            azurite.Tables.Users.SubmitTransaction(batch.Select(r => new Azure.Data.Tables.TableTransactionAction(Azure.Data.Tables.TableTransactionActionType.Add, r)));
        }
        harness.Ingest(Parse("""{"type":"identify","messageId":"i1","userId":"many","traits":{"email":"m@example.com"},"timestamp":"2026-12-01T09:00:00Z"}"""));
        harness.Ingest(Parse("""{"type":"identify","messageId":"i2","userId":"none","traits":{"email":"n@example.com"},"timestamp":"2026-12-01T09:00:00Z"}"""));
        (int Requests, long Rows, long Enrollments) Read(string json)
        {
            var (rows, enrollments) = (partition.RowsRead, partition.EnrollmentRowsRead);
            var requests = azurite.Count(() => harness.Ingest(Parse(json)));
            return (requests, partition.RowsRead - rows, partition.EnrollmentRowsRead - enrollments);
        }

        var many = Read("""{"type":"track","messageId":"m1","userId":"many","event":"PageViewed","timestamp":"2026-12-01T10:00:00Z"}""");
        var none = Read("""{"type":"track","messageId":"m2","userId":"none","event":"PageViewed","timestamp":"2026-12-01T10:00:00Z"}""");
        var purchase = Read("""{"type":"track","messageId":"m3","userId":"many","event":"Purchase","properties":{"cartId":"c42"},"timestamp":"2026-12-01T10:01:00Z"}""");

        Assert.Equal((2, 0L), (many.Requests, many.Enrollments));
        Assert.Equal(none, many); // the same requests and rows as for a user with no enrollment
        Assert.InRange(purchase.Enrollments, 1, 2); // c42's row, in the read before its wake (and after, if it is still open)
        Assert.Equal(1, harness.Deliveries);
        Assert.Equal(Carts - 1, azurite.Tables.Stores().Enrollments.ActiveFor("many").Count(s => s.Key != "c42"));
    }

    public static TheoryData<string> Cases() => new(
        Directory.EnumerateFiles(Path.Combine(Samples, "events"), "*.jsonl").Order(StringComparer.Ordinal).Select(f => Path.GetFileNameWithoutExtension(f)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_replays_on_table_storage_to_the_simulators_trace(string name)
    {
        var harness = Harness(new Azurite());

        harness.Replay(File.ReadLines(Path.Combine(Samples, "events", name + ".jsonl")));

        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new TraceLineWriter(text))
        {
            harness.Trace.ForEach(writer.Write);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(Samples, "expected", name + ".trace.jsonl")).ReplaceLineEndings("\n"), text.ToString());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root");
    }
}
