using Journeys.Core.Definitions;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;
using Journeys.Local.Storage;

namespace Journeys.Local.Tests.Stats;

/// <summary>serve's counts across users (SQLite) answer as the simulator's (in memory) do, and survive a reopen.</summary>
public sealed class JourneyCountersConformanceTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 23, 0, 0, TimeSpan.Zero);

    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-counters-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Exercise(IJourneyCounters counters)
    {
        counters.RecordEntry("j", T0);
        counters.RecordEntry("j", T0.AddMinutes(59)); // 23:59 UTC
        counters.RecordEntry("j", T0.AddHours(1)); // the next UTC day
        counters.RecordEntry("other", T0);
        counters.Assign("j", "ab", "u1", "control", T0);
        counters.Assign("j", "ab", "u2", "email", T0.AddMinutes(1));
        counters.Assign("j", "ab", "u3", "email", T0.AddMinutes(2));
        counters.Convert("j", "ab", "u2");
        counters.Convert("j", "ab", "u2"); // once per assignment
        counters.Assign("j", "ab", "u2", "email", T0.AddDays(1)); // a re-entry: a new assignment
        counters.ChooseWinner("j", "ab", "email", T0.AddDays(2));
        counters.ChooseWinner("j", "ab", "control", T0.AddDays(3)); // the first winner stays
        counters.TakeSlot(Channel.Email, T0.AddSeconds(30));
        counters.TakeSlot(Channel.Email, T0.AddSeconds(60));
    }

    private static void AssertState(IJourneyCounters counters)
    {
        Assert.Equal(3, counters.EntriesTotal("j"));
        Assert.Equal(2, counters.EntriesOn("j", new DateOnly(2026, 12, 1)));
        Assert.Equal(1, counters.EntriesOn("j", new DateOnly(2026, 12, 2)));
        Assert.Equal(0, counters.EntriesTotal("nobody"));
        var tally = counters.Experiment("j", "ab");
        Assert.Equal(T0, tally.StartedAt);
        Assert.Equal("email", tally.Winner);
        Assert.Equal((1, 0), (tally.Path("control").Entered, tally.Path("control").Converted));
        Assert.Equal((3, 1), (tally.Path("email").Entered, tally.Path("email").Converted));
        Assert.Equal(new ExperimentAssignment("email", T0.AddDays(1), false), counters.Assignment("j", "ab", "u2"));
        Assert.Null(counters.Assignment("j", "ab", "nobody"));
        Assert.Null(counters.Experiment("j", "other").StartedAt);
        Assert.Equal(T0.AddSeconds(60), counters.NextFreeSlot(Channel.Email));
        Assert.Null(counters.NextFreeSlot(Channel.Sms));
    }

    [Fact]
    public void Sqlite_and_in_memory_counters_agree_and_sqlite_keeps_them()
    {
        var memory = new InMemoryJourneyCounters();
        Exercise(memory);
        AssertState(memory);

        var path = Path.Combine(_dir, "journeys.db");
        using (var stores = SqliteStores.Open(path))
        {
            using var transaction = stores.BeginTransaction();
            Exercise(stores.Stores.Counters!);
            AssertState(stores.Stores.Counters!);
            transaction.Commit();
        }
        using var reopened = SqliteStores.Open(path);
        AssertState(reopened.Stores.Counters!);
    }
}
