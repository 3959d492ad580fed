using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// One open transaction on a <see cref="SqliteDatabase"/>: every store call made while it is open
/// joins it. Commit makes them durable together; Dispose without Commit rolls them all back.
/// </summary>
public sealed class SqliteTransactionScope : IDisposable
{
    private readonly SqliteDatabase _database;
    private bool _ended;

    internal SqliteTransactionScope(SqliteDatabase database, SqliteTransaction transaction)
    {
        _database = database;
        Transaction = transaction;
    }

    internal SqliteTransaction Transaction { get; }

    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_ended, this);
        try
        {
            Transaction.Commit();
        }
        finally
        {
            End();
        }
    }

    public void Dispose()
    {
        if (!_ended)
        {
            // SqliteTransaction.Dispose rolls back what was not committed
            End();
        }
    }

    private void End()
    {
        _ended = true;
        Transaction.Dispose();
        _database.Ended(this);
    }
}
