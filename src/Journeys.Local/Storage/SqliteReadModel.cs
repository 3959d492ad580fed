using System.Text;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>The counters of one journey, as <c>GET /v1/journeys/{id}/stats</c> reports them.</summary>
public sealed record JourneyCounters(long Active, IReadOnlyDictionary<string, long> Counts);

/// <summary>
/// What the HTTP API reads (trace, statistics, outbox state), on a connection of its own: WAL lets
/// it read while the engine writes. Not thread-safe; the server serializes its callers.
/// </summary>
public sealed class SqliteReadModel
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _stats;
    private readonly SqliteCommand _active;
    private readonly SqliteCommand _outboxCounts;

    public SqliteReadModel(SqliteDatabase database)
    {
        _database = database;
        Catalog = new SqliteJourneyCatalog(database);
        _stats = database.Prepare("SELECT metric, count FROM stats WHERE journey_id = $journey", "$journey");
        // served by enrollments_by_journey (journey_id, active, id): an index range count
        _active = database.Prepare("SELECT COUNT(*) FROM enrollments WHERE journey_id = $journey AND active = 1", "$journey");
        _outboxCounts = database.Prepare("SELECT status, COUNT(*) FROM outbox GROUP BY status");
    }

    /// <summary>The published journeys, read on this connection.</summary>
    public SqliteJourneyCatalog Catalog { get; }

    /// <summary>
    /// The journey's counters: a primary-key range of the stats table, whatever the number of enrollments. Active is
    /// entered less completed and exited, from the same counters (kept in each step's transaction, so they agree),
    /// rather than a count over the enrollments index, which grows with every waiting enrollment.
    /// </summary>
    public JourneyCounters Counters(string journeyId)
    {
        _stats.Parameters[0].Value = journeyId;
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        using (var row = _database.Ready(_stats).ExecuteReader())
        {
            while (row.Read())
            {
                counts[row.GetString(0)] = row.GetInt64(1);
            }
        }
        var ended = counts.GetValueOrDefault("completed");
        foreach (var (metric, n) in counts)
        {
            if (metric.StartsWith("exited:", StringComparison.Ordinal)) ended += n;
        }
        return new JourneyCounters(Math.Max(0, counts.GetValueOrDefault("entered") - ended), counts);
    }

    /// <summary>Active enrollments counted in the enrollments index (for checks; the API reads <see cref="Counters"/>).</summary>
    public long CountActive(string journeyId)
    {
        _active.Parameters[0].Value = journeyId;
        return Convert.ToInt64(_database.Ready(_active).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Outbox rows by status (pending, delivered, failed, cancelled).</summary>
    public IReadOnlyDictionary<int, long> OutboxCounts()
    {
        var counts = new Dictionary<int, long>();
        using var row = _database.Ready(_outboxCounts).ExecuteReader();
        while (row.Read())
        {
            counts[row.GetInt32(0)] = row.GetInt64(1);
        }
        return counts;
    }

    /// <summary>Rejected calls from <paramref name="since"/>, after row <paramref name="after"/>, oldest first.</summary>
    public IReadOnlyList<(long Seq, Journeys.Hosting.Api.RejectedRecord Record)> Rejected(DateTimeOffset since, long after, int limit)
    {
        using var command = _database.CreateCommand();
        command.CommandText = "SELECT seq, at, source, reason, body, truncated FROM rejected WHERE seq > $after AND at >= $since ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$since", SqliteTime.ToColumn(since));
        command.Parameters.AddWithValue("$limit", limit);
        var list = new List<(long, Journeys.Hosting.Api.RejectedRecord)>();
        using var row = _database.Ready(command).ExecuteReader();
        while (row.Read())
        {
            // the raw bytes as text; bytes that are not UTF-8 show as U+FFFD
            var body = System.Text.Encoding.UTF8.GetString((byte[])row.GetValue(4));
            list.Add((row.GetInt64(0), new Journeys.Hosting.Api.RejectedRecord(SqliteTime.FromColumn(row.GetInt64(1)), row.GetString(2), row.GetString(3), body, row.GetInt64(5) != 0)));
        }
        return list;
    }

    /// <summary>
    /// Trace records (their JSON text) in the order they were written, filtered by any of user,
    /// journey and earliest instant, at most <paramref name="limit"/>, after row <paramref name="after"/>.
    /// </summary>
    public IReadOnlyList<(long Seq, string Record)> Trace(string? user, string? journey, DateTimeOffset? since, long after, int limit)
    {
        var sql = new StringBuilder("SELECT seq, record FROM trace WHERE seq > $after");
        using var command = _database.CreateCommand();
        command.Parameters.AddWithValue("$after", after);
        if (user is not null)
        {
            sql.Append(" AND user_id = $user");
            command.Parameters.AddWithValue("$user", user);
        }
        if (journey is not null)
        {
            sql.Append(" AND journey_id = $journey");
            command.Parameters.AddWithValue("$journey", journey);
        }
        if (since is { } from)
        {
            sql.Append(" AND at >= $since");
            command.Parameters.AddWithValue("$since", SqliteTime.ToColumn(from));
        }
        sql.Append(" ORDER BY seq LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        var list = new List<(long, string)>();
        using var row = _database.Ready(command).ExecuteReader();
        while (row.Read())
        {
            list.Add((row.GetInt64(0), row.GetString(1)));
        }
        return list;
    }
}
