using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>One row per message sent; frequency caps count a user's rows after an instant.</summary>
public sealed class SqliteSendLog : ISendLog
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _countSince;
    private readonly SqliteCommand _record;

    public SqliteSendLog(SqliteDatabase database)
    {
        _database = database;
        // a range of the (user_id, at) index: the cost is the number of sends counted, not the log's size
        _countSince = database.Prepare("SELECT COUNT(*) FROM sends WHERE user_id = $user AND at > $since", "$user", "$since");
        _record = database.Prepare("INSERT INTO sends (user_id, at) VALUES ($user, $at)", "$user", "$at");
    }

    public int CountSince(string userId, DateTimeOffset since)
    {
        _countSince.Parameters[0].Value = userId;
        _countSince.Parameters[1].Value = SqliteTime.ToColumn(since);
        return (int)(long)_database.Ready(_countSince).ExecuteScalar()!;
    }

    public void Record(string userId, DateTimeOffset at)
    {
        _record.Parameters[0].Value = userId;
        _record.Parameters[1].Value = SqliteTime.ToColumn(at);
        _database.Ready(_record).ExecuteNonQuery();
    }
}
