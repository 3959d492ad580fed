using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>A message waiting in the outbox: its line is the DESIGN §6 outbox JSON line.</summary>
public sealed record OutboxMessage(long Seq, string IdempotencyKey, string JourneyId, string Channel, string Line, int Attempts);

/// <summary>
/// The dispatcher's side of the outbox table, on a connection of its own: pending messages in the
/// order they were decided, and their delivery marks. Messages of paused journeys are held.
/// </summary>
public sealed class SqliteOutbox
{
    public const int Pending = 0;
    public const int Delivered = 1;
    public const int Failed = 2;
    public const int Cancelled = 3;

    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _pending;
    private readonly SqliteCommand _delivered;
    private readonly SqliteCommand _deliveredByKey;
    private readonly SqliteCommand _retry;
    private readonly SqliteCommand _failed;
    private readonly SqliteCommand _getMeta;
    private readonly SqliteCommand _setMeta;
    private readonly SqliteCommand _nextAttempt;

    public SqliteOutbox(SqliteDatabase database)
    {
        _database = database;
        _pending = database.Prepare(
            """
            SELECT seq, idempotency_key, journey_id, channel, line, attempts FROM outbox
            WHERE status = 0 AND next_attempt_at <= $now
              AND journey_id NOT IN (SELECT journey_id FROM journeys WHERE status = 'paused')
            ORDER BY seq LIMIT $max
            """,
            "$now", "$max");
        _nextAttempt = database.Prepare(
            """
            SELECT MIN(next_attempt_at) FROM outbox WHERE status = 0
              AND journey_id NOT IN (SELECT journey_id FROM journeys WHERE status = 'paused')
            """);
        _delivered = database.Prepare(
            "UPDATE outbox SET status = 1, attempts = attempts + 1, delivered_at = $at, error = NULL WHERE seq = $seq AND status = 0", "$seq", "$at");
        _deliveredByKey = database.Prepare(
            "UPDATE outbox SET status = 1, attempts = attempts + 1, delivered_at = $at WHERE idempotency_key = $key AND status = 0", "$key", "$at");
        _retry = database.Prepare(
            "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $next, error = $error WHERE seq = $seq AND status = 0", "$seq", "$next", "$error");
        _failed = database.Prepare(
            "UPDATE outbox SET status = 2, attempts = attempts + 1, error = $error WHERE seq = $seq AND status = 0", "$seq", "$error");
        _getMeta = database.Prepare("SELECT value FROM meta WHERE key = $key", "$key");
        _setMeta = database.Prepare(
            "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value", "$key", "$value");
    }

    /// <summary>Up to <paramref name="max"/> messages due for an attempt at <paramref name="now"/>, oldest first.</summary>
    public IReadOnlyList<OutboxMessage> Due(DateTimeOffset now, int max)
    {
        _pending.Parameters[0].Value = SqliteTime.ToColumn(now);
        _pending.Parameters[1].Value = max;
        var list = new List<OutboxMessage>();
        using var row = _database.Ready(_pending).ExecuteReader();
        while (row.Read())
        {
            list.Add(new OutboxMessage(row.GetInt64(0), row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), row.GetInt32(5)));
        }
        return list;
    }

    /// <summary>When the earliest waiting retry is due (null when nothing deliverable waits).</summary>
    public DateTimeOffset? NextAttempt()
    {
        var value = _database.Ready(_nextAttempt).ExecuteScalar();
        return value is long ticks ? SqliteTime.FromColumn(ticks) : null;
    }

    public void MarkDelivered(long seq, DateTimeOffset at)
    {
        _delivered.Parameters[0].Value = seq;
        _delivered.Parameters[1].Value = SqliteTime.ToColumn(at);
        _database.Ready(_delivered).ExecuteNonQuery();
    }

    /// <summary>Marks a message found delivered by its idempotency key (crash recovery).</summary>
    public bool MarkDelivered(string idempotencyKey, DateTimeOffset at)
    {
        _deliveredByKey.Parameters[0].Value = idempotencyKey;
        _deliveredByKey.Parameters[1].Value = SqliteTime.ToColumn(at);
        return _database.Ready(_deliveredByKey).ExecuteNonQuery() == 1;
    }

    public void MarkRetry(long seq, DateTimeOffset next, string error)
    {
        _retry.Parameters[0].Value = seq;
        _retry.Parameters[1].Value = SqliteTime.ToColumn(next);
        _retry.Parameters[2].Value = error;
        _database.Ready(_retry).ExecuteNonQuery();
    }

    public void MarkFailed(long seq, string error)
    {
        _failed.Parameters[0].Value = seq;
        _failed.Parameters[1].Value = error;
        _database.Ready(_failed).ExecuteNonQuery();
    }

    public string? GetMeta(string key)
    {
        _getMeta.Parameters[0].Value = key;
        return _database.Ready(_getMeta).ExecuteScalar() as string;
    }

    public void SetMeta(string key, string value)
    {
        _setMeta.Parameters[0].Value = key;
        _setMeta.Parameters[1].Value = value;
        _database.Ready(_setMeta).ExecuteNonQuery();
    }
}
