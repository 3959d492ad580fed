using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// The rejected-events store: calls the SDK routes could not take, with their raw body (bounded by the
/// intake), reason, route and time. At most <see cref="MaxRows"/> are kept (the oldest go first), so a
/// misbehaving client cannot fill the disk; retention sweeps them like the trace.
/// </summary>
public sealed class SqliteRejectedStore(SqliteDatabase database)
{
    public const int MaxRows = 10_000;

    private readonly SqliteCommand _insert = database.Prepare(
        "INSERT INTO rejected (at, source, reason, body, truncated) VALUES ($at, $source, $reason, $body, $truncated)",
        "$at", "$source", "$reason", "$body", "$truncated");

    private readonly SqliteCommand _trim = database.Prepare(
        "DELETE FROM rejected WHERE seq <= (SELECT MAX(seq) FROM rejected) - $max", "$max");

    public void Keep(DateTimeOffset at, string source, string reason, ReadOnlyMemory<byte> body, bool truncated)
    {
        _insert.Parameters[0].Value = SqliteTime.ToColumn(at);
        _insert.Parameters[1].Value = source;
        _insert.Parameters[2].Value = reason;
        _insert.Parameters[3].Value = body.ToArray();
        _insert.Parameters[4].Value = truncated ? 1 : 0;
        database.Ready(_insert).ExecuteNonQuery();
    }

    /// <summary>Drops the oldest beyond the bound (seq is dense: rows are only ever appended).</summary>
    public void Trim()
    {
        _trim.Parameters[0].Value = MaxRows;
        database.Ready(_trim).ExecuteNonQuery();
    }
}
