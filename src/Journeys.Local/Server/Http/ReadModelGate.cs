using Journeys.Local.Storage;

namespace Journeys.Local.Server.Http;

/// <summary>The HTTP API's read connection, one request at a time (a SQLite connection is not thread-safe).</summary>
public sealed class ReadModelGate(string databasePath) : IDisposable
{
    private readonly SqliteDatabase _database = SqliteDatabase.Open(databasePath);
    private readonly object _gate = new();
    private SqliteReadModel? _model;

    public T Read<T>(Func<SqliteReadModel, T> read)
    {
        lock (_gate)
        {
            _model ??= new SqliteReadModel(_database);
            return read(_model);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _database.Dispose();
        }
    }
}
