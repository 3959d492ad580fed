using System.Diagnostics;
using System.Globalization;
using System.Net.Http;
using Microsoft.Data.Sqlite;

namespace Journeys.Benchmarks.Load;

/// <summary>
/// <c>load stats</c>: the stats readout of a real <c>journeys serve</c> over a file holding N enrollments of an
/// experiment journey (DESIGN §10: under 100 ms at 1,000,000). The file is made by the server (schema, the published
/// journey), then filled with SQL in one transaction — N enrollment rows, N experiment assignments, and the counters
/// the runtime would have kept for them — because entering a million users over HTTP measures ingestion, not the
/// readout. Then the server is started on it again and <c>GET /v1/journeys/exp/stats</c> timed.
/// </summary>
internal static class StatsReadout
{
    private const string Journey = """
        {"id":"exp","entry":{"event":"Go"},"goal":{"event":"Purchase"},"start":"ab",
         "steps":{
           "ab":{"type":"split","experiment":{"window":"P7D"},
                 "paths":[{"name":"control","percent":20,"control":true},{"name":"email","percent":40,"next":"mail"},{"name":"sms","percent":40,"next":"text"}]},
           "mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"wait"},
           "text":{"type":"send","channel":"sms","content":{"text":"t"},"next":"wait"},
           "wait":{"type":"delay","for":"P30D"}}}
        """;

    public static async Task<int> RunAsync(string dll, string work, int count, int requests)
    {
        var definitions = Path.Combine(work, "definitions");
        File.WriteAllText(Path.Combine(definitions, "exp.journey.json"), Journey);
        var db = Path.Combine(work, "data", "journeys.db");
        using (await ServerProcess.StartAsync(dll, db, definitions))
        {
        }
        var fill = Stopwatch.StartNew();
        Fill(db, count);
        Console.Error.WriteLine($"filled {count:N0} enrollments in {fill.Elapsed.TotalSeconds:F1} s ({new FileInfo(db).Length / 1048576.0:F0} MiB)");
        using var server = await ServerProcess.StartAsync(dll, db, definitions);
        using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
        for (var i = 0; i < 10; i++)
        {
            (await http.GetAsync("/v1/journeys/exp/stats")).EnsureSuccessStatusCode();
        }
        var times = new List<double>(requests);
        string body = "";
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync("/v1/journeys/exp/stats");
            body = await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine($"stats over {count:N0} enrollments, {requests} requests: median {times[times.Count / 2]:F2} ms, p99 {times[(int)(times.Count * 0.99)]:F2} ms, max {times[^1]:F2} ms");
        Console.WriteLine(body.Length > 600 ? body[..600] + "..." : body);
        return 0;
    }

    private static void Fill(string db, int count)
    {
        using var connection = new SqliteConnection($"Data Source={db}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var enrollment = connection.CreateCommand();
        enrollment.CommandText = "INSERT INTO enrollments (id, journey_id, user_id, active, state) VALUES ($id, 'exp', $user, 1, '{}')";
        var id = enrollment.Parameters.Add("$id", SqliteType.Text);
        var user = enrollment.Parameters.Add("$user", SqliteType.Text);
        using var assignment = connection.CreateCommand();
        assignment.CommandText = "INSERT INTO experiment_assignments (journey_id, step_id, user_id, path, at, converted) VALUES ('exp', 'ab', $user, $path, 0, $converted)";
        var assignedUser = assignment.Parameters.Add("$user", SqliteType.Text);
        var path = assignment.Parameters.Add("$path", SqliteType.Text);
        var converted = assignment.Parameters.Add("$converted", SqliteType.Integer);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        void Bump(string metric) => counts[metric] = counts.GetValueOrDefault(metric) + 1;
        for (var i = 0; i < count; i++)
        {
            var name = (i % 5) switch { 0 => "control", 1 or 2 => "email", _ => "sms" };
            var buys = i % 97 < (name == "control" ? 4 : name == "email" ? 6 : 5);
            var u = "u" + i.ToString(CultureInfo.InvariantCulture);
            id.Value = $"exp:{u}:1";
            user.Value = u;
            enrollment.ExecuteNonQuery();
            assignedUser.Value = u;
            path.Value = name;
            converted.Value = buys ? 1 : 0;
            assignment.ExecuteNonQuery();
            Bump("entered");
            Bump($"path:ab:{name}");
            Bump("step:ab");
            Bump($"experiment:ab:{name}");
            if (buys) Bump($"experiment-converted:ab:{name}");
            if (name == "control")
            {
                Bump("completed");
                continue;
            }
            var send = name == "email" ? "mail" : "text";
            Bump($"edge:ab>{send}");
            Bump($"edge:{send}>wait");
            Bump($"sent:{(name == "email" ? "email" : "sms")}");
            Bump($"step:{send}");
            Bump("step:wait");
        }
        using var stat = connection.CreateCommand();
        stat.CommandText = "INSERT INTO stats (journey_id, metric, count) VALUES ('exp', $metric, $count) ON CONFLICT (journey_id, metric) DO UPDATE SET count = excluded.count";
        var metric = stat.Parameters.Add("$metric", SqliteType.Text);
        var n = stat.Parameters.Add("$count", SqliteType.Integer);
        foreach (var (key, value) in counts)
        {
            metric.Value = key;
            n.Value = value;
            stat.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
