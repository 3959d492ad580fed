using Journeys.Core.Audience;
using Journeys.Local.Storage;

namespace Journeys.Local.Tests.Storage;

/// <summary>Retention deletes what is past the period and keeps what re-entry rules, profiles and pending messages need.</summary>
public sealed class SqliteRetentionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-retention-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static long Count(SqliteDatabase database, string table)
    {
        using var command = database.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)command.ExecuteScalar()!;
    }

    [Fact]
    public void Old_trace_history_sends_and_finished_messages_go_while_new_rows_pending_messages_and_entries_stay()
    {
        var old = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var recent = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        using var stores = SqliteStores.Open(Path.Combine(_dir, "r.db"));
        var db = stores.Database;
        stores.Stores.History.Append("u", "Old", old, Value.Null);
        stores.Stores.History.Append("u", "New", recent, Value.Null);
        stores.Stores.Sends.Record("u", old);
        stores.Stores.Sends.Record("u", recent);
        stores.Stores.Entries.Record("j", "u", old);
        var output = new SqliteRuntimeOutput(db);
        output.Trace(new Journeys.Core.Engine.TraceRecord(old, "u", "j", "entered"));
        output.Trace(new Journeys.Core.Engine.TraceRecord(recent, "u", "j", "entered"));
        using (var command = db.CreateCommand())
        {
            command.CommandText = $"""
                INSERT INTO outbox (idempotency_key, journey_id, channel, line, created_at, status) VALUES
                ('delivered-old', 'j', 'email', '{"{}"}', {old.UtcTicks}, 1),
                ('pending-old', 'j', 'email', '{"{}"}', {old.UtcTicks}, 0),
                ('delivered-new', 'j', 'email', '{"{}"}', {recent.UtcTicks}, 1)
                """;
            command.ExecuteNonQuery();
        }

        var deleted = new SqliteRetention(db).Sweep(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(4, deleted);
        Assert.Equal(["New"], stores.Stores.History.Get("u").Select(h => h.Event));
        Assert.Equal(1, Count(db, "trace"));
        Assert.Equal(1, Count(db, "sends"));
        Assert.Equal(2, Count(db, "outbox"));
        Assert.Single(stores.Stores.Entries.Entries("j", "u"));
    }
}
