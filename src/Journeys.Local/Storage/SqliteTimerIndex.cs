using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// Due items as rows ordered by (due, id): the id is the scheduling sequence, so equal due times
/// come out in the order scheduled, as from the in-memory priority queue.
/// </summary>
public sealed class SqliteTimerIndex : ITimerIndex
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _schedule;
    private readonly SqliteCommand _takeDue;
    private readonly SqliteCommand _nextDue;

    public SqliteTimerIndex(SqliteDatabase database)
    {
        _database = database;
        _schedule = database.Prepare(
            "INSERT INTO timers (due, enrollment_id, journey_id) VALUES ($due, $enrollment, $journey)", "$due", "$enrollment", "$journey");
        // find and remove in one statement: nothing can come between the look-up and the delete
        _takeDue = database.Prepare(
            """
            DELETE FROM timers WHERE id = (SELECT id FROM timers WHERE due <= $upTo ORDER BY due, id LIMIT 1)
            RETURNING due, enrollment_id, journey_id
            """,
            "$upTo");
        _nextDue = database.Prepare("SELECT MIN(due) FROM timers");
        // served by the partial index timers_scheduled_runs
        _hasRun = database.Prepare("SELECT EXISTS (SELECT 1 FROM timers WHERE journey_id = $journey)", "$journey");
    }

    private readonly SqliteCommand _hasRun;

    public bool HasScheduledRun(string journeyId)
    {
        _hasRun.Parameters[0].Value = journeyId;
        return Convert.ToInt64(_database.Ready(_hasRun).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    public void Schedule(DueItem item)
    {
        _schedule.Parameters[0].Value = SqliteTime.ToColumn(item.Due);
        _schedule.Parameters[1].Value = (object?)item.EnrollmentId ?? DBNull.Value;
        _schedule.Parameters[2].Value = (object?)item.JourneyId ?? DBNull.Value;
        _database.Ready(_schedule).ExecuteNonQuery();
    }

    public bool TryTakeDue(DateTimeOffset upTo, out DueItem item)
    {
        _takeDue.Parameters[0].Value = SqliteTime.ToColumn(upTo);
        using var row = _database.Ready(_takeDue).ExecuteReader();
        if (!row.Read())
        {
            item = default;
            return false;
        }
        item = new DueItem(
            SqliteTime.FromColumn(row.GetInt64(0)),
            row.IsDBNull(1) ? null : row.GetString(1),
            row.IsDBNull(2) ? null : row.GetString(2));
        return true;
    }

    /// <summary>MIN over the indexed column: one b-tree descent, not a scan.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            var due = _database.Ready(_nextDue).ExecuteScalar();
            return due is long ticks ? SqliteTime.FromColumn(ticks) : null;
        }
    }
}
