using Azure.Data.Tables;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests;

/// <summary>
/// The daily sweep deletes what is older than its policy says and nothing else (on Azurite). Row timestamps are the
/// server's, so "expired" is made by a policy whose period ends in the future (a negative span).
/// </summary>
public sealed class RetentionTests
{
    private static readonly TimeSpan Keep = TimeSpan.FromDays(30);
    private static readonly TimeSpan Expired = TimeSpan.FromMinutes(-5);

    [Fact]
    public void Expired_dead_letters_go_and_history_that_is_still_kept_stays()
    {
        var azurite = new Azurite();
        var tables = azurite.Tables;
        tables.DeadLetters.AddEntity(new TableEntity("2026-12-02", "d1"));
        tables.Users.AddEntity(new TableEntity("ann", "h|0000000001"));

        var deleted = new Retention(tables, TimeProvider.System).Run(new RetentionPolicy(Keep, Keep, Keep, Keep, Expired));

        Assert.Equal(1, deleted);
        Assert.Empty(tables.DeadLetters.Query<TableEntity>());
        Assert.Single(tables.Users.Query<TableEntity>());
    }

    [Fact]
    public void Acs_message_maps_are_kept_as_long_as_the_trace_they_add_to()
    {
        var azurite = new Azurite();
        var tables = azurite.Tables;
        tables.AcsMessages.AddEntity(new TableEntity("op-1", ""));
        var retention = new Retention(tables, TimeProvider.System);

        Assert.Equal(0, retention.Run(new RetentionPolicy(Keep, Keep, Keep, Keep, Keep)));
        Assert.Single(tables.AcsMessages.Query<TableEntity>());

        Assert.Equal(1, retention.Run(new RetentionPolicy(Keep, Expired, Keep, Keep, Keep)));
        Assert.Empty(tables.AcsMessages.Query<TableEntity>());
    }

    [Fact]
    public void Past_rate_minutes_old_takes_and_old_entry_days_go_and_what_is_still_read_stays()
    {
        var azurite = new Azurite();
        var tables = azurite.Tables;
        var now = DateTimeOffset.UtcNow;
        var rate = TableRateSlots.Partition(Core.Definitions.Channel.Email);
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        tables.Counters.AddEntity(new TableEntity(rate, TableRateSlots.MinuteRow(now.AddHours(-2))) { ["Count"] = 5L }); // goes
        tables.Counters.AddEntity(new TableEntity(rate, TableRateSlots.MinuteRow(now)) { ["Count"] = 5L });
        tables.Counters.AddEntity(new TableEntity(rate, TableRateSlots.MinuteRow(now.AddHours(3))) { ["Count"] = 1L }); // a slot held ahead
        tables.Counters.AddEntity(new TableEntity(rate, TableRateSlots.TakePrefix + "e1~1~0~0"));
        tables.Counters.AddEntity(new TableEntity("capped", "total") { ["Count"] = 9L });
        tables.Counters.AddEntity(new TableEntity("capped", TableEntryCounters.DayRow(today)) { ["Count"] = 2L });
        tables.Counters.AddEntity(new TableEntity("capped", TableEntryCounters.DayRow(today.AddDays(-1))) { ["Count"] = 3L });
        tables.Counters.AddEntity(new TableEntity("capped", TableEntryCounters.DayRow(today.AddDays(-2))) { ["Count"] = 4L }); // goes
        var retention = new Retention(tables, TimeProvider.System);

        Assert.Equal(2, retention.Run(new RetentionPolicy(Keep, Keep, Keep, Keep, Keep)));
        Assert.Equal(
            [TableEntryCounters.DayRow(today.AddDays(-1)), TableEntryCounters.DayRow(today), "total",
             TableRateSlots.TakePrefix + "e1~1~0~0", TableRateSlots.MinuteRow(now), TableRateSlots.MinuteRow(now.AddHours(3))],
            tables.Counters.Query<TableEntity>().Select(e => e.RowKey));

        // a take row is read only by its activity's retries: it goes once older than the policy's span (as the minute, now past it)
        Assert.Equal(2, retention.Run(new RetentionPolicy(Keep, Keep, Keep, Keep, Keep) { RateSlots = Expired }));
        Assert.DoesNotContain(tables.Counters.Query<TableEntity>(), e => e.RowKey.StartsWith(TableRateSlots.TakePrefix, StringComparison.Ordinal));
    }

    [Fact]
    public void Experiment_assignment_rows_go_with_the_history_and_the_tallies_stay()
    {
        var azurite = new Azurite();
        var tables = azurite.Tables;
        var partition = TableExperimentCounters.PartitionPrefix + "exp|ab";
        tables.Counters.AddEntity(new TableEntity(partition, "s|b|00") { ["Entered"] = 3L, ["Converted"] = 1L });
        tables.Counters.AddEntity(new TableEntity(partition, "w") { ["Path"] = "b" });
        tables.Counters.AddEntity(new TableEntity(partition, TableExperimentCounters.UserPrefix + "ann") { ["Path"] = "b" });
        var retention = new Retention(tables, TimeProvider.System);

        Assert.Equal(0, retention.Run(new RetentionPolicy(Keep, Keep, Keep, Keep, Keep)));
        Assert.Equal(0, retention.Run(new RetentionPolicy(Expired, Expired, Expired, Keep, Expired) { RateSlots = Expired }));
        Assert.Equal(1, retention.Run(new RetentionPolicy(Keep, Keep, Keep, Expired, Keep)));
        Assert.Equal(["s|b|00", "w"], tables.Counters.Query<TableEntity>(e => e.PartitionKey == partition).Select(e => e.RowKey));
    }
}
