using Journeys.Core.Runtime;

namespace Journeys.Local.Storage;

/// <summary>
/// The runtime's stores on one SQLite file: the <see cref="RuntimeStores"/> to hand the runtime,
/// and the <see cref="SqliteDatabase"/> under them, to group calls into transactions and to close.
/// </summary>
public sealed class SqliteStores : IDisposable
{
    private SqliteStores(SqliteDatabase database)
    {
        Database = database;
        Stores = Create(database);
    }

    public SqliteDatabase Database { get; }

    public RuntimeStores Stores { get; }

    /// <summary>Opens (or creates) the file at <paramref name="path"/> with its schema up to date.</summary>
    public static SqliteStores Open(string path)
    {
        var database = SqliteDatabase.Open(path);
        try
        {
            return new SqliteStores(database);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    /// <summary>Stores over a database the caller opened and will close.</summary>
    public static RuntimeStores Create(SqliteDatabase database) => new(
        new SqliteProfileStore(database),
        new SqliteHistoryStore(database),
        new SqliteDedupeStore(database),
        new SqliteEnrollmentStore(database),
        new SqliteEntryLedger(database),
        new SqliteSegmentMembershipStore(database),
        new SqliteTimerIndex(database),
        new SqliteSendLog(database),
        new SqliteJourneyCounters(database));

    public SqliteTransactionScope BeginTransaction() => Database.BeginTransaction();

    /// <summary>Closes the file; the stores cannot be used after.</summary>
    public void Dispose() => Database.Dispose();
}
