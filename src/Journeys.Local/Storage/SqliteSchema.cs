using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// The tables the SQLite stores keep, as numbered migrations: a file records each version applied
/// in <c>schema_version</c>, and opening it applies the missing ones in order, each in its own
/// transaction. A released migration is never edited; a change of schema is a new one.
/// </summary>
/// <remarks>
/// Instants are INTEGER UTC ticks (<see cref="SqliteTime"/>): exact, and ordered as numbers.
/// Values are JSON text. Tables read by a key prefix with small rows are WITHOUT ROWID, so a
/// user's rows sit together in the key's b-tree. Where a port returns rows in insertion order,
/// an INTEGER PRIMARY KEY (the rowid) is that order: every index ends with it, so an index on the
/// look-up columns returns the rows already in it, and VACUUM keeps declared rowids.
/// </remarks>
public static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // 1: the runtime's stores (Journeys.Core/Runtime/Ports.cs)
        """
        CREATE TABLE profiles (
            user_id TEXT NOT NULL PRIMARY KEY,
            traits TEXT NOT NULL
        );

        CREATE TABLE history (
            user_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event TEXT NOT NULL,
            ts INTEGER NOT NULL,
            properties TEXT,
            PRIMARY KEY (user_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE message_ids (
            id TEXT NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;

        -- seq: the order of first saving, which is the order ActiveFor returns (see SqliteEnrollmentStore)
        CREATE TABLE enrollments (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            journey_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            active INTEGER NOT NULL,
            state TEXT NOT NULL
        );
        CREATE INDEX enrollments_by_user ON enrollments (user_id, active);
        -- id last: ActiveIn lists in id order without sorting
        CREATE INDEX enrollments_by_journey ON enrollments (journey_id, active, id);

        CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            journey_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX entries_by_journey_user ON entries (journey_id, user_id);

        -- keyed by user first: the runtime asks for one user's segments on every event
        CREATE TABLE memberships (
            user_id TEXT NOT NULL,
            segment_id TEXT NOT NULL,
            PRIMARY KEY (user_id, segment_id)
        ) WITHOUT ROWID;

        -- id: the scheduling sequence that orders equal due times (new rowids exceed every live one)
        CREATE TABLE timers (
            id INTEGER PRIMARY KEY,
            due INTEGER NOT NULL,
            enrollment_id TEXT,
            journey_id TEXT
        );
        -- ordered by (due, id): the rowid ends every index
        CREATE INDEX timers_by_due ON timers (due);
        -- scheduled runs only (a few rows), so a restart finds a pending run without a scan
        CREATE INDEX timers_scheduled_runs ON timers (journey_id) WHERE journey_id IS NOT NULL;

        CREATE TABLE sends (
            seq INTEGER PRIMARY KEY,
            user_id TEXT NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX sends_by_user ON sends (user_id, at);
        """,

        // 2: what the server keeps besides the runtime's stores
        """
        -- every published version; a version is never changed once written
        CREATE TABLE journey_versions (
            journey_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            definition TEXT NOT NULL,
            published_at INTEGER NOT NULL,
            PRIMARY KEY (journey_id, version)
        ) WITHOUT ROWID;

        -- status: active, paused or stopped
        CREATE TABLE journeys (
            journey_id TEXT NOT NULL PRIMARY KEY,
            current_version INTEGER NOT NULL,
            status TEXT NOT NULL
        );

        CREATE TABLE trace (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            user_id TEXT NOT NULL,
            journey_id TEXT NOT NULL,
            record TEXT NOT NULL
        );
        CREATE INDEX trace_by_user ON trace (user_id);
        CREATE INDEX trace_by_journey ON trace (journey_id);
        CREATE INDEX trace_by_at ON trace (at);

        -- status: 0 pending, 1 delivered, 2 failed, 3 cancelled (a stopped journey's held messages)
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY,
            idempotency_key TEXT NOT NULL UNIQUE,
            journey_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            line TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            status INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0,
            delivered_at INTEGER,
            error TEXT
        );
        CREATE INDEX outbox_pending ON outbox (seq) WHERE status = 0;

        -- counters kept in the same transaction as the steps they count
        CREATE TABLE stats (
            journey_id TEXT NOT NULL,
            metric TEXT NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (journey_id, metric)
        ) WITHOUT ROWID;

        CREATE TABLE meta (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        );
        """,
        // 3: calls the SDK routes could not take (GET /v1/rejected), bounded and swept by retention
        """
        CREATE TABLE rejected (
            seq INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,
            source TEXT NOT NULL,
            reason TEXT NOT NULL,
            body BLOB NOT NULL,
            truncated INTEGER NOT NULL
        );
        CREATE INDEX rejected_by_at ON rejected (at);
        """,
        // 4: counts across users (DESIGN §10, Journeys.Core/Runtime/IJourneyCounters.cs): entry limits, experiments, rate slots
        """
        -- day: the UTC calendar day as days since 0001-01-01; a journey's total is the sum of its few day rows
        CREATE TABLE journey_entries (
            journey_id TEXT NOT NULL,
            day INTEGER NOT NULL,
            count INTEGER NOT NULL,
            PRIMARY KEY (journey_id, day)
        ) WITHOUT ROWID;

        CREATE TABLE experiments (
            journey_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            winner TEXT,
            PRIMARY KEY (journey_id, step_id)
        ) WITHOUT ROWID;

        CREATE TABLE experiment_paths (
            journey_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            path TEXT NOT NULL,
            entered INTEGER NOT NULL,
            converted INTEGER NOT NULL,
            PRIMARY KEY (journey_id, step_id, path)
        ) WITHOUT ROWID;

        -- each user's latest assignment per experiment, for conversions within the window
        CREATE TABLE experiment_assignments (
            journey_id TEXT NOT NULL,
            step_id TEXT NOT NULL,
            user_id TEXT NOT NULL,
            path TEXT NOT NULL,
            at INTEGER NOT NULL,
            converted INTEGER NOT NULL,
            PRIMARY KEY (journey_id, step_id, user_id)
        ) WITHOUT ROWID;

        CREATE TABLE rate_slots (
            channel TEXT NOT NULL PRIMARY KEY,
            next_free INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
    ];

    /// <summary>The version a file is at once opened by this build.</summary>
    public static int Latest => Migrations.Length;

    internal static int VersionOf(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static void Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }
        var current = VersionOf(connection);
        if (current > Latest)
        {
            // an older build must not write into tables it does not know
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this build knows ({Latest}): use a newer journeys.");
        }
        for (var version = current + 1; version <= Latest; version++)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            using (var migrate = connection.CreateCommand())
            {
                migrate.Transaction = transaction;
                migrate.CommandText = Migrations[version - 1];
                migrate.ExecuteNonQuery();
            }
            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_version (version, applied_at) VALUES ($version, $at)";
                record.Parameters.AddWithValue("$version", version);
                record.Parameters.AddWithValue("$at", SqliteTime.ToColumn(DateTimeOffset.UtcNow));
                record.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
}
