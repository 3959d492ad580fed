using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// The counts across users on SQLite, written in the runtime's open transaction with the step that caused them:
/// entries per journey and UTC day, experiments with their per-path tallies and each user's assignment, and the
/// rate-limited channels' next free slots. Every read is a primary-key look-up or a short key range.
/// </summary>
public sealed class SqliteJourneyCounters : IJourneyCounters
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _total;
    private readonly SqliteCommand _onDay;
    private readonly SqliteCommand _recordEntry;
    private readonly SqliteCommand _experiment;
    private readonly SqliteCommand _paths;
    private readonly SqliteCommand _assignment;
    private readonly SqliteCommand _start;
    private readonly SqliteCommand _enter;
    private readonly SqliteCommand _assign;
    private readonly SqliteCommand _markConverted;
    private readonly SqliteCommand _convert;
    private readonly SqliteCommand _winner;
    private readonly SqliteCommand _slot;
    private readonly SqliteCommand _takeSlot;

    public SqliteJourneyCounters(SqliteDatabase database)
    {
        _database = database;
        _total = database.Prepare("SELECT COALESCE(SUM(count), 0) FROM journey_entries WHERE journey_id = $journey", "$journey");
        _onDay = database.Prepare("SELECT count FROM journey_entries WHERE journey_id = $journey AND day = $day", "$journey", "$day");
        _recordEntry = database.Prepare(
            """
            INSERT INTO journey_entries (journey_id, day, count) VALUES ($journey, $day, 1)
            ON CONFLICT (journey_id, day) DO UPDATE SET count = count + 1
            """, "$journey", "$day");
        _experiment = database.Prepare("SELECT started_at, winner FROM experiments WHERE journey_id = $journey AND step_id = $step", "$journey", "$step");
        _paths = database.Prepare("SELECT path, entered, converted FROM experiment_paths WHERE journey_id = $journey AND step_id = $step", "$journey", "$step");
        _assignment = database.Prepare(
            "SELECT path, at, converted FROM experiment_assignments WHERE journey_id = $journey AND step_id = $step AND user_id = $user", "$journey", "$step", "$user");
        _start = database.Prepare(
            "INSERT INTO experiments (journey_id, step_id, started_at) VALUES ($journey, $step, $at) ON CONFLICT (journey_id, step_id) DO NOTHING",
            "$journey", "$step", "$at");
        _enter = database.Prepare(
            """
            INSERT INTO experiment_paths (journey_id, step_id, path, entered, converted) VALUES ($journey, $step, $path, 1, 0)
            ON CONFLICT (journey_id, step_id, path) DO UPDATE SET entered = entered + 1
            """, "$journey", "$step", "$path");
        _assign = database.Prepare(
            """
            INSERT INTO experiment_assignments (journey_id, step_id, user_id, path, at, converted) VALUES ($journey, $step, $user, $path, $at, 0)
            ON CONFLICT (journey_id, step_id, user_id) DO UPDATE SET path = excluded.path, at = excluded.at, converted = 0
            """, "$journey", "$step", "$user", "$path", "$at");
        _markConverted = database.Prepare(
            "UPDATE experiment_assignments SET converted = 1 WHERE journey_id = $journey AND step_id = $step AND user_id = $user AND converted = 0 RETURNING path",
            "$journey", "$step", "$user");
        _convert = database.Prepare(
            "UPDATE experiment_paths SET converted = converted + 1 WHERE journey_id = $journey AND step_id = $step AND path = $path", "$journey", "$step", "$path");
        _winner = database.Prepare(
            "UPDATE experiments SET winner = $path WHERE journey_id = $journey AND step_id = $step AND winner IS NULL", "$journey", "$step", "$path");
        _slot = database.Prepare("SELECT next_free FROM rate_slots WHERE channel = $channel", "$channel");
        _takeSlot = database.Prepare(
            "INSERT INTO rate_slots (channel, next_free) VALUES ($channel, $at) ON CONFLICT (channel) DO UPDATE SET next_free = excluded.next_free",
            "$channel", "$at");
    }

    private static int Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime).DayNumber;

    public long EntriesTotal(string journeyId)
    {
        _total.Parameters[0].Value = journeyId;
        return (long)_database.Ready(_total).ExecuteScalar()!;
    }

    public long EntriesOn(string journeyId, DateOnly day)
    {
        _onDay.Parameters[0].Value = journeyId;
        _onDay.Parameters[1].Value = day.DayNumber;
        return _database.Ready(_onDay).ExecuteScalar() is long n ? n : 0;
    }

    public void RecordEntry(string journeyId, DateTimeOffset at)
    {
        _recordEntry.Parameters[0].Value = journeyId;
        _recordEntry.Parameters[1].Value = Day(at);
        _database.Ready(_recordEntry).ExecuteNonQuery();
    }

    public ExperimentTally Experiment(string journeyId, string stepId)
    {
        _experiment.Parameters[0].Value = journeyId;
        _experiment.Parameters[1].Value = stepId;
        DateTimeOffset? started = null;
        string? winner = null;
        using (var row = _database.Ready(_experiment).ExecuteReader())
        {
            if (!row.Read())
            {
                return ExperimentTally.Empty;
            }
            started = SqliteTime.FromColumn(row.GetInt64(0));
            winner = row.IsDBNull(1) ? null : row.GetString(1);
        }
        _paths.Parameters[0].Value = journeyId;
        _paths.Parameters[1].Value = stepId;
        var paths = new Dictionary<string, PathTally>(StringComparer.Ordinal);
        using (var row = _database.Ready(_paths).ExecuteReader())
        {
            while (row.Read())
            {
                paths[row.GetString(0)] = new PathTally(row.GetInt64(1), row.GetInt64(2));
            }
        }
        return new ExperimentTally(started, winner, paths);
    }

    public ExperimentAssignment? Assignment(string journeyId, string stepId, string userId)
    {
        _assignment.Parameters[0].Value = journeyId;
        _assignment.Parameters[1].Value = stepId;
        _assignment.Parameters[2].Value = userId;
        using var row = _database.Ready(_assignment).ExecuteReader();
        return row.Read() ? new ExperimentAssignment(row.GetString(0), SqliteTime.FromColumn(row.GetInt64(1)), row.GetInt64(2) != 0) : null;
    }

    public void Assign(string journeyId, string stepId, string userId, string path, DateTimeOffset at)
    {
        _start.Parameters[0].Value = journeyId;
        _start.Parameters[1].Value = stepId;
        _start.Parameters[2].Value = SqliteTime.ToColumn(at);
        _database.Ready(_start).ExecuteNonQuery();
        _enter.Parameters[0].Value = journeyId;
        _enter.Parameters[1].Value = stepId;
        _enter.Parameters[2].Value = path;
        _database.Ready(_enter).ExecuteNonQuery();
        _assign.Parameters[0].Value = journeyId;
        _assign.Parameters[1].Value = stepId;
        _assign.Parameters[2].Value = userId;
        _assign.Parameters[3].Value = path;
        _assign.Parameters[4].Value = SqliteTime.ToColumn(at);
        _database.Ready(_assign).ExecuteNonQuery();
    }

    public void Convert(string journeyId, string stepId, string userId)
    {
        _markConverted.Parameters[0].Value = journeyId;
        _markConverted.Parameters[1].Value = stepId;
        _markConverted.Parameters[2].Value = userId;
        if (_database.Ready(_markConverted).ExecuteScalar() is not string path)
        {
            return;
        }
        _convert.Parameters[0].Value = journeyId;
        _convert.Parameters[1].Value = stepId;
        _convert.Parameters[2].Value = path;
        _database.Ready(_convert).ExecuteNonQuery();
    }

    public void ChooseWinner(string journeyId, string stepId, string path, DateTimeOffset at)
    {
        _winner.Parameters[0].Value = journeyId;
        _winner.Parameters[1].Value = stepId;
        _winner.Parameters[2].Value = path;
        _database.Ready(_winner).ExecuteNonQuery();
    }

    public DateTimeOffset? NextFreeSlot(Channel channel)
    {
        _slot.Parameters[0].Value = SendPlanner.Name(channel);
        return _database.Ready(_slot).ExecuteScalar() is long ticks ? SqliteTime.FromColumn(ticks) : null;
    }

    public void TakeSlot(Channel channel, DateTimeOffset nextFree)
    {
        _takeSlot.Parameters[0].Value = SendPlanner.Name(channel);
        _takeSlot.Parameters[1].Value = SqliteTime.ToColumn(nextFree);
        _database.Ready(_takeSlot).ExecuteNonQuery();
    }
}
