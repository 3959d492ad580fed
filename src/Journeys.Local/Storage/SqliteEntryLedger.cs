using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>One row per entry, listed per (journey, user) in the order recorded.</summary>
public sealed class SqliteEntryLedger : IEntryLedger
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _entries;
    private readonly SqliteCommand _record;

    public SqliteEntryLedger(SqliteDatabase database)
    {
        _database = database;
        _entries = database.Prepare("SELECT at FROM entries WHERE journey_id = $journey AND user_id = $user ORDER BY seq", "$journey", "$user");
        _record = database.Prepare("INSERT INTO entries (journey_id, user_id, at) VALUES ($journey, $user, $at)", "$journey", "$user", "$at");
    }

    public IReadOnlyList<DateTimeOffset> Entries(string journeyId, string userId)
    {
        _entries.Parameters[0].Value = journeyId;
        _entries.Parameters[1].Value = userId;
        using var row = _database.Ready(_entries).ExecuteReader();
        if (!row.Read())
        {
            return [];
        }
        var entries = new List<DateTimeOffset>(1);
        do
        {
            entries.Add(SqliteTime.FromColumn(row.GetInt64(0)));
        }
        while (row.Read());
        return entries;
    }

    public void Record(string journeyId, string userId, DateTimeOffset at)
    {
        _record.Parameters[0].Value = journeyId;
        _record.Parameters[1].Value = userId;
        _record.Parameters[2].Value = SqliteTime.ToColumn(at);
        _database.Ready(_record).ExecuteNonQuery();
    }
}
