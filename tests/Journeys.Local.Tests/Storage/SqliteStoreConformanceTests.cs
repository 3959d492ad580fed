using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;
using Journeys.Core.Tests.Stores;
using Journeys.Local.Storage;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Tests.Storage;

/// <summary>
/// The SQLite stores against the shared store contract, each test on a fresh file, plus what only
/// a file can get wrong: surviving a close and reopen, transactions, the schema version.
/// </summary>
public sealed class SqliteStoreConformanceTests : StoreConformance, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-sqlite-").FullName;
    private readonly List<SqliteStores> _opened = [];

    private string DatabasePath => Path.Combine(_dir, "journeys.db");

    protected override RuntimeStores CreateStores() => Open().Stores;

    private SqliteStores Open()
    {
        var stores = SqliteStores.Open(DatabasePath);
        _opened.Add(stores);
        return stores;
    }

    public void Dispose()
    {
        foreach (var stores in _opened)
        {
            stores.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private static Value Object(params (string Name, Value Value)[] fields) =>
        Value.From(fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));

    private static EnrollmentState Enrollment(string journey, string user, int entryNo) => new()
    {
        EnrollmentId = EnrollmentState.IdFor(journey, user, entryNo),
        JourneyId = journey,
        Version = 2,
        UserId = user,
        EntryNo = entryNo,
        EnteredAt = T0,
        EntrySequence = 1,
        EntryEvent = CustomerEvent.Track("m-1", user, "Viewed", T0, Object(("sku", Value.From("A")), ("price", Value.From(12.5)))),
        Step = "wait",
        WaitStartedAt = T0,
        WaitUntil = T0.AddHours(1),
        SplitPaths = ["split=a"],
    };

    private static SqliteConnection RawConnection(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    [Fact]
    public void Everything_survives_closing_and_reopening_the_file()
    {
        using (var first = Open())
        {
            var s = first.Stores;
            s.Profiles.Save(Profile.Empty("u-1").Merge(Object(("email", Value.From("a@example.com")), ("consent", Object(("sms", Value.True))))));
            s.History.Append("u-1", "Viewed", T0, Object(("sku", Value.From("A"))));
            s.History.Append("u-1", "Purchase", T0.AddMinutes(1), Object(("price", Value.From(120))));
            s.Enrollments.Save(Enrollment("cart", "u-1", 1));
            s.Entries.Record("cart", "u-1", T0);
            s.Memberships.Set("vip", "u-1", true);
            s.Timers.Schedule(new DueItem(T0.AddHours(2), "cart:u-1:1", null));
            s.Timers.Schedule(new DueItem(T0.AddHours(1), null, "weekly"));
            s.Timers.Schedule(new DueItem(T0.AddHours(2), "welcome:u-1:1", null));
            s.Sends.Record("u-1", T0);
            Assert.True(s.Dedupe.TryAdd("m-1"));
        }

        using var second = Open();
        var stores = second.Stores;

        var profile = stores.Profiles.Find("u-1")!;
        Assert.Equal("a@example.com", profile.Trait("email").AsString);
        Assert.True(profile.Consent("sms"));
        Assert.Equal(["u-1"], stores.Profiles.UserIds());

        Assert.Equal(3, stores.History.Append("u-1", "Viewed", T0.AddMinutes(2), Object()).Sequence);
        var history = stores.History.Get("u-1");
        Assert.Equal(["Viewed", "Purchase", "Viewed"], history.Select(h => h.Event));
        Assert.Equal(120, history[1].Properties["price"].AsNumber);

        var active = Assert.Single(stores.Enrollments.ActiveFor("u-1"));
        Assert.Equal(EnrollmentStateJson.Serialize(Enrollment("cart", "u-1", 1)), EnrollmentStateJson.Serialize(active));
        Assert.Equal([T0], stores.Entries.Entries("cart", "u-1"));
        Assert.Equal(["vip"], stores.Memberships.SegmentsOf("u-1"));
        Assert.Equal(1, stores.Sends.CountSince("u-1", T0.AddSeconds(-1)));
        Assert.False(stores.Dedupe.TryAdd("m-1"));

        Assert.Equal(T0.AddHours(1), stores.Timers.NextDue);
        var taken = new List<string>();
        while (stores.Timers.TryTakeDue(T0.AddDays(1), out var item))
        {
            taken.Add(item.EnrollmentId ?? item.JourneyId!);
        }
        Assert.Equal(["weekly", "cart:u-1:1", "welcome:u-1:1"], taken);
    }

    [Fact]
    public void A_scope_disposed_without_commit_leaves_nothing_behind()
    {
        using var opened = Open();
        var stores = opened.Stores;

        using (opened.BeginTransaction())
        {
            stores.Profiles.Save(Profile.Empty("u-1").Merge(Object(("tier", Value.From("gold")))));
            stores.History.Append("u-1", "Viewed", T0, Object());
            Assert.True(stores.Dedupe.TryAdd("m-1"));
            stores.Enrollments.Save(Enrollment("cart", "u-1", 1));
            stores.Entries.Record("cart", "u-1", T0);
            stores.Memberships.Set("vip", "u-1", true);
            stores.Timers.Schedule(new DueItem(T0, "cart:u-1:1", null));
            stores.Sends.Record("u-1", T0);

            // reads inside the scope see its writes
            Assert.Equal("gold", stores.Profiles.Find("u-1")!.Trait("tier").AsString);
            Assert.Single(stores.History.Get("u-1"));
            Assert.NotNull(stores.Enrollments.FindActive("cart", "u-1"));
            Assert.True(opened.Database.InTransaction);
        }

        Assert.False(opened.Database.InTransaction);
        Assert.Null(stores.Profiles.Find("u-1"));
        Assert.Empty(stores.Profiles.UserIds());
        Assert.Empty(stores.History.Get("u-1"));
        Assert.Null(stores.Enrollments.Get("cart:u-1:1"));
        Assert.Empty(stores.Enrollments.ActiveIn("cart"));
        Assert.Empty(stores.Entries.Entries("cart", "u-1"));
        Assert.Empty(stores.Memberships.SegmentsOf("u-1"));
        Assert.Null(stores.Timers.NextDue);
        Assert.Equal(0, stores.Sends.CountSince("u-1", DateTimeOffset.MinValue));
        Assert.True(stores.Dedupe.TryAdd("m-1"));
        // outside any scope the stores write straight through, and sequences start again from one
        Assert.Equal(1, stores.History.Append("u-1", "Viewed", T0, Object()).Sequence);
    }

    [Fact]
    public void A_committed_scope_is_on_disk()
    {
        using (var first = Open())
        {
            using var scope = first.BeginTransaction();
            first.Stores.History.Append("u-1", "Viewed", T0, Object());
            first.Stores.Timers.Schedule(new DueItem(T0, null, "weekly"));
            scope.Commit();
            Assert.False(first.Database.InTransaction);
            Assert.Throws<ObjectDisposedException>(scope.Commit);
        }

        using var second = Open();
        Assert.Single(second.Stores.History.Get("u-1"));
        Assert.Equal(T0, second.Stores.Timers.NextDue);
    }

    [Fact]
    public void Scopes_do_not_nest()
    {
        using var opened = Open();
        using var scope = opened.BeginTransaction();

        Assert.Throws<InvalidOperationException>(() => opened.BeginTransaction());
    }

    [Fact]
    public void The_schema_version_is_recorded_in_the_file()
    {
        using (var opened = Open())
        {
            Assert.Equal(4, SqliteSchema.Latest);
            Assert.Equal(SqliteSchema.Latest, opened.Database.SchemaVersion);
        }
        // reopening an up-to-date file applies nothing again
        Open().Dispose();

        using var raw = RawConnection(DatabasePath);
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        using var row = command.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal(1L, row.GetInt64(0));
        Assert.True(row.Read());
        Assert.Equal(2L, row.GetInt64(0));
        Assert.True(row.Read());
        Assert.Equal(3L, row.GetInt64(0)); // the rejected-events table
        Assert.True(row.Read());
        Assert.Equal(4L, row.GetInt64(0)); // counts across users: entry limits, experiments, rate slots
        Assert.False(row.Read());
    }

    [Fact]
    public void The_file_is_in_wal_mode()
    {
        Open().Dispose();

        using var raw = RawConnection(DatabasePath);
        using var command = raw.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void A_file_from_a_newer_schema_is_refused()
    {
        Open().Dispose();
        using (var raw = RawConnection(DatabasePath))
        using (var command = raw.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => SqliteStores.Open(DatabasePath));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enrollments_entered_at_the_same_instant_stay_in_the_in_memory_order()
    {
        // "welcome" sorts after "cart" by id, but was saved first: an event must reach the two in
        // the order the simulator (the in-memory store) gives
        var memory = InMemoryStores.Create();
        var sqlite = CreateStores();
        foreach (var stores in new[] { memory, sqlite })
        {
            stores.Enrollments.Save(Enrollment("welcome", "u-1", 1));
            stores.Enrollments.Save(Enrollment("cart", "u-1", 1));
            stores.Enrollments.Save(Enrollment("welcome", "u-1", 1) with { StepsTaken = 2 });
        }

        Assert.Equal(["welcome:u-1:1", "cart:u-1:1"], memory.Enrollments.ActiveFor("u-1").Select(e => e.EnrollmentId));
        Assert.Equal(
            memory.Enrollments.ActiveFor("u-1").Select(e => e.EnrollmentId),
            sqlite.Enrollments.ActiveFor("u-1").Select(e => e.EnrollmentId));
    }

    [Fact]
    public void Instants_come_back_exact_and_in_utc()
    {
        var stores = CreateStores();
        var local = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567);

        stores.History.Append("u-1", "Viewed", local, Value.Missing);
        stores.Entries.Record("cart", "u-1", local);
        stores.Timers.Schedule(new DueItem(local, "e", null));

        var stored = Assert.Single(stores.History.Get("u-1"));
        Assert.Equal(local.UtcTicks, stored.Timestamp.UtcTicks);
        Assert.Equal(TimeSpan.Zero, stored.Timestamp.Offset);
        Assert.True(stored.Properties.IsMissing);
        Assert.Equal(local.UtcTicks, Assert.Single(stores.Entries.Entries("cart", "u-1")).UtcTicks);
        Assert.Equal(local, stores.Timers.NextDue);
        Assert.True(stores.Timers.TryTakeDue(local, out var due));
        Assert.Equal(local.UtcTicks, due.Due.UtcTicks);
    }

    [Fact]
    public void User_ids_are_listed_in_ordinal_order_across_pages()
    {
        var opened = Open();
        var ids = Enumerable.Range(0, 2500).Select(i => (i % 3 == 0 ? "U-" : "u-") + i).ToList();
        using (var scope = opened.BeginTransaction())
        {
            foreach (var id in ids)
            {
                opened.Stores.Profiles.Save(Profile.Empty(id));
            }
            scope.Commit();
        }

        Assert.Equal(ids.Order(StringComparer.Ordinal), opened.Stores.Profiles.UserIds());
    }
}
