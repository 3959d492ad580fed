using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>messageIds seen: an insert that the primary key ignores when the id is known.</summary>
public sealed class SqliteDedupeStore : IDedupeStore
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _add;

    public SqliteDedupeStore(SqliteDatabase database)
    {
        _database = database;
        _add = database.Prepare("INSERT OR IGNORE INTO message_ids (id) VALUES ($id)", "$id");
    }

    /// <summary>One statement, no read first: the row count (SQLite's changes()) says whether it was new.</summary>
    public bool TryAdd(string messageId)
    {
        _add.Parameters[0].Value = messageId;
        return _database.Ready(_add).ExecuteNonQuery() == 1;
    }
}
