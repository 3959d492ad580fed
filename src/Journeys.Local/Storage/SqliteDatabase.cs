using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// One SQLite file and the one long-lived connection to it that every SQLite store shares. The
/// runtime is single-threaded, so the stores are used by one thread at a time and nothing here
/// locks; SQLite's own file locks keep other processes (a CLI peeking at the file) consistent.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private SqliteTransactionScope? _scope;
    private bool _disposed;

    private SqliteDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    public string Path { get; }

    /// <summary>The schema version the file is at (always <see cref="SqliteSchema.Latest"/> once open).</summary>
    public int SchemaVersion => SqliteSchema.VersionOf(_connection);

    /// <summary>True while a <see cref="BeginTransaction"/> scope is open.</summary>
    public bool InTransaction => _scope is not null;

    /// <summary>Opens the file (creating it and its folder when missing) and brings its schema up to date.</summary>
    public static SqliteDatabase Open(string path)
    {
        var fullPath = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(fullPath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Pooling would keep the file open after Dispose: a closed database must really be
            // closed (checkpointed, deletable, reopened from disk), and there is only one connection.
            Pooling = false,
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using (var pragmas = connection.CreateCommand())
            {
                // WAL: readers never block the writer, and a commit is one append to the log.
                // synchronous=NORMAL syncs at checkpoints, not at every commit: in WAL mode the file
                // stays consistent and a process crash loses nothing; only a power cut or OS crash
                // may roll back the last commits, a trade the local server takes for throughput.
                pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
                pragmas.ExecuteNonQuery();
            }
            SqliteSchema.Migrate(connection);
            return new SqliteDatabase(fullPath, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Groups the store calls made until the scope is committed into one transaction (one per
    /// processed event, so a crash never leaves half an event applied). Disposing the scope
    /// without <see cref="SqliteTransactionScope.Commit"/> rolls everything back. Scopes do not
    /// nest: the runtime has one unit of work at a time, and a nested begin is a bug to surface.
    /// </summary>
    public SqliteTransactionScope BeginTransaction()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_scope is not null)
        {
            throw new InvalidOperationException("A transaction is already open on this database; scopes do not nest.");
        }
        _scope = new SqliteTransactionScope(this, _connection.BeginTransaction(deferred: false));
        return _scope;
    }

    /// <summary>
    /// A command compiled once and kept for the database's lifetime: the stores' statements run
    /// for every event, so they are prepared once and only their parameters are rebound.
    /// </summary>
    internal SqliteCommand Prepare(string sql, params ReadOnlySpan<string> parameterNames)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        command.Prepare();
        _commands.Add(command);
        return command;
    }

    /// <summary>A one-off command (a query whose shape varies); the caller disposes it.</summary>
    internal SqliteCommand CreateCommand()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _connection.CreateCommand();
    }

    /// <summary>
    /// The command, joined to the open transaction if any: Microsoft.Data.Sqlite refuses to run a
    /// command whose Transaction is not the connection's current one, and the stores' commands
    /// outlive any one transaction.
    /// </summary>
    internal SqliteCommand Ready(SqliteCommand command)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        command.Transaction = _scope?.Transaction;
        return command;
    }

    internal void Ended(SqliteTransactionScope scope)
    {
        if (ReferenceEquals(_scope, scope))
        {
            _scope = null;
        }
    }

    /// <summary>Rolls back an open scope, then closes the file (SQLite checkpoints the log on the last close).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _scope?.Dispose();
        _disposed = true;
        foreach (var command in _commands)
        {
            command.Dispose();
        }
        _commands.Clear();
        _connection.Dispose();
    }
}
