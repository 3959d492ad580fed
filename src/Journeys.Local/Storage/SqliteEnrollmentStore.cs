using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// Enrollments as rows: the whole state as JSON (<see cref="EnrollmentStateJson"/>), plus the
/// columns the look-ups filter on. A user's active enrollments come back in the order they were
/// first saved, like the in-memory store's list: <c>seq</c> is assigned on the first insert and
/// kept by later saves. (Ordering by entry time then id would differ from it for enrollments
/// entered at the same instant, e.g. two journeys entered on one event, and then an event would
/// reach them in another order than in the simulator.)
/// </summary>
public sealed class SqliteEnrollmentStore : IEnrollmentStore
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _findActive;
    private readonly SqliteCommand _activeFor;
    private readonly SqliteCommand _activeIn;
    private readonly SqliteCommand _save;

    public SqliteEnrollmentStore(SqliteDatabase database)
    {
        _database = database;
        _get = database.Prepare("SELECT state FROM enrollments WHERE id = $id", "$id");
        _findActive = database.Prepare(
            "SELECT state FROM enrollments WHERE user_id = $user AND active = 1 AND journey_id = $journey ORDER BY seq LIMIT 1",
            "$user", "$journey");
        _activeFor = database.Prepare("SELECT state FROM enrollments WHERE user_id = $user AND active = 1 ORDER BY seq", "$user");
        // the in-memory store lists a journey's enrollments in ordinal id order: BINARY is byte
        // order, the same for the ASCII ids enrollments have (see SqliteProfileStore.UserIds)
        _activeIn = database.Prepare(
            "SELECT state FROM enrollments WHERE journey_id = $journey AND active = 1 ORDER BY id COLLATE BINARY", "$journey");
        _save = database.Prepare(
            """
            INSERT INTO enrollments (id, journey_id, user_id, active, state) VALUES ($id, $journey, $user, $active, $state)
            ON CONFLICT (id) DO UPDATE SET journey_id = excluded.journey_id, user_id = excluded.user_id, active = excluded.active, state = excluded.state
            """,
            "$id", "$journey", "$user", "$active", "$state");
    }

    public EnrollmentState? Get(string enrollmentId)
    {
        _get.Parameters[0].Value = enrollmentId;
        return ReadOne(_get);
    }

    public EnrollmentState? FindActive(string journeyId, string userId)
    {
        _findActive.Parameters[0].Value = userId;
        _findActive.Parameters[1].Value = journeyId;
        return ReadOne(_findActive);
    }

    public IReadOnlyList<EnrollmentState> ActiveFor(string userId)
    {
        _activeFor.Parameters[0].Value = userId;
        return ReadAll(_activeFor);
    }

    /// <summary>Read whole before returning: the caller advances each one, which saves into this table.</summary>
    public IEnumerable<EnrollmentState> ActiveIn(string journeyId)
    {
        _activeIn.Parameters[0].Value = journeyId;
        return ReadAll(_activeIn);
    }

    public void Save(EnrollmentState state)
    {
        _save.Parameters[0].Value = state.EnrollmentId;
        _save.Parameters[1].Value = state.JourneyId;
        _save.Parameters[2].Value = state.UserId;
        _save.Parameters[3].Value = state.IsActive ? 1 : 0;
        _save.Parameters[4].Value = EnrollmentStateJson.Serialize(state);
        _database.Ready(_save).ExecuteNonQuery();
    }

    private EnrollmentState? ReadOne(SqliteCommand command)
    {
        using var row = _database.Ready(command).ExecuteReader();
        return row.Read() ? EnrollmentStateJson.Deserialize(row.GetString(0)) : null;
    }

    private List<EnrollmentState> ReadAll(SqliteCommand command)
    {
        var states = new List<EnrollmentState>();
        using var row = _database.Ready(command).ExecuteReader();
        while (row.Read())
        {
            states.Add(EnrollmentStateJson.Deserialize(row.GetString(0)));
        }
        return states;
    }
}
