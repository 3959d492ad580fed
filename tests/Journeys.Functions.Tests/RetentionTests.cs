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
}
