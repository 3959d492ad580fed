using Journeys.Core.Audience;
using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>Each user's track events, keyed (user, sequence) so a user's history is one range of the key.</summary>
public sealed class SqliteHistoryStore : IHistoryStore
{
    private readonly SqliteDatabase _database;
    private readonly SqliteJson _json = new();
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _append;

    public SqliteHistoryStore(SqliteDatabase database)
    {
        _database = database;
        _get = database.Prepare("SELECT seq, event, ts, properties FROM history WHERE user_id = $user ORDER BY seq", "$user");
        // the next sequence and the insert in one statement: MAX over the key prefix is one b-tree
        // descent, and an aggregate without GROUP BY yields a row even for a user's first event
        _append = database.Prepare(
            """
            INSERT INTO history (user_id, seq, event, ts, properties)
            SELECT $user, COALESCE(MAX(seq), 0) + 1, $event, $ts, $properties FROM history WHERE user_id = $user
            RETURNING seq
            """,
            "$user", "$event", "$ts", "$properties");
    }

    /// <summary>Read and parsed on every call: nothing is cached, so a rolled-back transaction leaves no stale copy.</summary>
    public IReadOnlyList<HistoryEvent> Get(string userId)
    {
        _get.Parameters[0].Value = userId;
        using var row = _database.Ready(_get).ExecuteReader();
        if (!row.Read())
        {
            return [];
        }
        var events = new List<HistoryEvent>();
        do
        {
            events.Add(new HistoryEvent(row.GetInt64(0), row.GetString(1), SqliteTime.FromColumn(row.GetInt64(2)), SqliteJson.Read(row, 3)));
        }
        while (row.Read());
        return events;
    }

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        _append.Parameters[0].Value = userId;
        _append.Parameters[1].Value = eventName;
        _append.Parameters[2].Value = SqliteTime.ToColumn(timestamp);
        _append.Parameters[3].Value = _json.Write(properties);
        var sequence = (long)_database.Ready(_append).ExecuteScalar()!;
        // in UTC, as Get will return it
        return new HistoryEvent(sequence, eventName, timestamp.ToUniversalTime(), properties);
    }
}
