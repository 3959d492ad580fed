using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// Deletes what is older than the retention period: trace records, messages no longer pending
/// (delivered, failed, cancelled), event history, rejected calls and the send log behind frequency caps. Kept:
/// profiles, enrollments, the entry ledger (re-entry rules count entries for ever) and the
/// counters. History older than the period no longer counts in conditions, so the period should
/// exceed the longest <c>within</c> a journey uses.
/// </summary>
public sealed class SqliteRetention(SqliteDatabase database)
{
    private readonly SqliteCommand[] _sweeps =
    [
        database.Prepare("DELETE FROM trace WHERE at < $cutoff", "$cutoff"),
        database.Prepare("DELETE FROM outbox WHERE status <> 0 AND created_at < $cutoff", "$cutoff"),
        database.Prepare("DELETE FROM history WHERE ts < $cutoff", "$cutoff"),
        database.Prepare("DELETE FROM sends WHERE at < $cutoff", "$cutoff"),
        database.Prepare("DELETE FROM rejected WHERE at < $cutoff", "$cutoff"),
    ];

    /// <returns>The rows deleted.</returns>
    public long Sweep(DateTimeOffset cutoff)
    {
        long deleted = 0;
        foreach (var sweep in _sweeps)
        {
            sweep.Parameters[0].Value = SqliteTime.ToColumn(cutoff);
            deleted += database.Ready(sweep).ExecuteNonQuery();
        }
        return deleted;
    }
}
