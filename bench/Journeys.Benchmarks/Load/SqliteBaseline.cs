using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Journeys.Benchmarks.Load;

/// <summary>
/// The raw SQLite ceiling for the server's numbers, on the same file settings (WAL,
/// synchronous=NORMAL): N event-sized rows inserted in transactions of 500 (what an ingest batch
/// commits as), and N timer rows inserted, then taken back in due order and deleted in
/// transactions of 5,000 (what firing timers does), with prepared statements and nothing else.
/// </summary>
internal static class SqliteBaseline
{
    public static int Run(string[] args)
    {
        var rows = args.Length > 1 && args[0] == "--rows" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var path = Path.Combine(Path.GetTempPath(), $"journeys-baseline-{Environment.ProcessId}.db");
        try
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
            connection.Open();
            Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
            Exec(connection, "CREATE TABLE events (user_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, ts INTEGER NOT NULL, properties TEXT, PRIMARY KEY (user_id, seq)) WITHOUT ROWID");
            Exec(connection, "CREATE TABLE timers (id INTEGER PRIMARY KEY, due INTEGER NOT NULL, enrollment_id TEXT); CREATE INDEX timers_by_due ON timers (due)");

            var insertEvent = Prepared(connection, "INSERT INTO events VALUES ($u, 1, 'Order', $ts, '{\"total\":42.5,\"sku\":\"SKU-123\"}')", "$u", "$ts");
            var seconds = Timed(() => Batched(connection, rows, 500, insertEvent, i =>
            {
                insertEvent.Parameters[0].Value = $"u{i}";
                insertEvent.Parameters[1].Value = 638_000_000_000_000_000L + i;
                insertEvent.ExecuteNonQuery();
            }));
            Console.WriteLine($"raw SQLite: {rows:N0} event rows inserted in transactions of 500: {rows / seconds:N0} rows/s");

            var insertTimer = Prepared(connection, "INSERT INTO timers (due, enrollment_id) VALUES ($due, $id)", "$due", "$id");
            seconds = Timed(() => Batched(connection, rows, 500, insertTimer, i =>
            {
                insertTimer.Parameters[0].Value = 638_000_000_000_000_000L;
                insertTimer.Parameters[1].Value = $"load-wait:w{i}:1";
                insertTimer.ExecuteNonQuery();
            }));
            Console.WriteLine($"raw SQLite: {rows:N0} timer rows inserted in transactions of 500: {rows / seconds:N0} rows/s");

            var take = Prepared(connection, "DELETE FROM timers WHERE id = (SELECT id FROM timers WHERE due <= $upTo ORDER BY due, id LIMIT 1) RETURNING due, enrollment_id", "$upTo");
            var taken = 0;
            seconds = Timed(() => Batched(connection, rows, 5_000, take, _ =>
            {
                take.Parameters[0].Value = long.MaxValue;
                using var reader = take.ExecuteReader();
                if (reader.Read()) taken++;
            }));
            Console.WriteLine($"raw SQLite: {taken:N0} timer rows taken in due order and deleted in transactions of 5,000: {taken / seconds:N0} rows/s");
            return 0;
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static void Batched(SqliteConnection connection, int rows, int size, SqliteCommand command, Action<int> row)
    {
        for (var start = 0; start < rows; start += size)
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            for (var i = start; i < Math.Min(rows, start + size); i++)
            {
                row(i);
            }
            transaction.Commit();
        }
    }

    private static SqliteCommand Prepared(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter { ParameterName = name });
        command.Prepare();
        return command;
    }

    private static double Timed(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
