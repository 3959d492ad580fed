using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Journeys.Benchmarks.Load;

/// <summary>
/// Load against a real <c>journeys serve</c> process on 127.0.0.1 (docs/performance.md):
/// <list type="bullet">
/// <item><c>load ingest</c>: batches of events over HTTP; events/s acknowledged (durable), request
/// latency, and the latency from sending an event to its message's line in the outbox file.</item>
/// <item><c>load timers</c>: N enrollments waiting on one instant; RSS while they wait, then the
/// rate at which their timers fire.</item>
/// <item><c>load soak</c>: <see cref="ServerSoak"/>.</item>
/// </list>
/// </summary>
internal static class ServerLoad
{
    private const string Instant = """
        {"id":"load-instant","entry":{"event":"Order"},"reentry":{"mode":"multiple"},"start":"thanks","steps":{
          "thanks":{"type":"send","channel":"email","content":{"subject":"Thanks {{profile.firstName}}","body":"Order received"}}}}
        """;

    private static string Waiting(DateTimeOffset due) => """
        {"id":"load-wait","entry":{"event":"Go"},"start":"wait","steps":{
          "wait":{"type":"delay","untilDate":"DUE","next":"done"},
          "done":{"type":"exit"}}}
        """.Replace("DUE", due.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Args(args.Skip(1));
        var dll = options.GetValueOrDefault("journeys-dll") ?? Path.Combine("src", "Journeys.Local", "bin", "Release", "net10.0", "journeys.dll");
        var work = options.GetValueOrDefault("work") ?? Path.Combine(Path.GetTempPath(), "journeys-load");
        if (Directory.Exists(work)) Directory.Delete(work, true);
        Directory.CreateDirectory(Path.Combine(work, "definitions"));
        return args[0] switch
        {
            "ingest" => await IngestAsync(dll, work, Int(options, "events", 200_000), Int(options, "batch", 500), Int(options, "concurrency", 4), Int(options, "rate", 0)),
            "stats" => await StatsReadout.RunAsync(dll, work, Int(options, "count", 1_000_000), Int(options, "requests", 200)),
            "timers" => await TimersAsync(dll, work, Int(options, "count", 1_000_000), Int(options, "batch", 500), Int(options, "concurrency", 4)),
            "soak" => await ServerSoak.RunAsync(dll, work, TimeSpan.FromMinutes(Int(options, "minutes", 30)), TimeSpan.FromSeconds(Int(options, "kill-every", 300)), Int(options, "rate", 2_000), Int(options, "concurrency", 4)),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("load ingest [--events N] [--batch N] [--concurrency N] [--rate EVENTS_PER_S] | load timers [--count N] [--batch N] [--concurrency N] | load stats [--count N] [--requests N] | load soak [--minutes N] [--kill-every SECONDS] [--rate EVENTS_PER_S] [--concurrency N]  [--journeys-dll PATH] [--work DIR]");
        return 2;
    }

    /// <param name="rate">Events per second to offer (0: as fast as the server takes them): latency is measured at a sustained rate, not at saturation.</param>
    private static async Task<int> IngestAsync(string dll, string work, int events, int batch, int concurrency, int rate)
    {
        File.WriteAllText(Path.Combine(work, "definitions", "load-instant.journey.json"), Instant);
        using var server = await ServerProcess.StartAsync(dll, Path.Combine(work, "data", "journeys.db"), Path.Combine(work, "definitions"));
        var outbox = Path.Combine(work, "data", "outbox.jsonl");
        var sentAt = new ConcurrentDictionary<string, long>();
        var ackedAt = new ConcurrentDictionary<string, long>();
        var requestMs = new ConcurrentBag<double>();
        var users = events / 2;
        var batches = (users + batch / 2 - 1) / (batch / 2);
        var nextBatch = -1;
        var maxRss = 0.0;
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
        var cpuBefore = server.CpuTime();
        var clock = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var rss = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested) { maxRss = Math.Max(maxRss, server.RssMiB()); await Task.Delay(250); }
        });
        var tail = new OutboxTail(outbox, clock);
        var tailing = Task.Run(() => tail.Run(users, sampling.Token));
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref nextBatch)) < batches)
            {
                var body = new StringBuilder();
                var ids = new List<string>();
                for (var u = b * (batch / 2); u < Math.Min(users, (b + 1) * (batch / 2)); u++)
                {
                    var user = $"u{u}";
                    ids.Add(user);
                    body.Append(CultureInfo.InvariantCulture, $$"""{"type":"identify","messageId":"{{user}}-i","userId":"{{user}}","traits":{"email":"{{user}}@example.com","firstName":"U{{u}}"},"timestamp":"2026-11-22T10:00:00Z"}""").Append('\n');
                    body.Append(CultureInfo.InvariantCulture, $$"""{"type":"track","messageId":"{{user}}-o","userId":"{{user}}","event":"Order","properties":{"total":42.5},"timestamp":"2026-11-22T10:00:00Z"}""").Append('\n');
                }
                if (rate > 0 && TimeSpan.FromSeconds((double)b * batch / rate) - clock.Elapsed is var ahead && ahead > TimeSpan.Zero)
                {
                    await Task.Delay(ahead);
                }
                var start = clock.Elapsed.TotalMilliseconds;
                foreach (var id in ids) sentAt[id] = (long)(start * 1000);
                using var response = await http.PostAsync("/v1/events", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"));
                if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                var acked = clock.Elapsed.TotalMilliseconds;
                foreach (var id in ids) ackedAt[id] = (long)(acked * 1000);
                if (b >= batches / 10) requestMs.Add(acked - start);
            }
        })).ToList();
        await Task.WhenAll(senders);
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var cpu = (server.CpuTime() - cpuBefore).TotalSeconds;
        await tailing.WaitAsync(TimeSpan.FromMinutes(5));
        await sampling.CancelAsync();
        await rss;

        // the first tenth warms the server up (JIT, caches, file growth) and is left out of the latencies
        var warm = users / 10;
        var toOutbox = tail.SeenAtMicros.Where(kv => int.Parse(kv.Key.AsSpan(1), CultureInfo.InvariantCulture) >= warm)
            .Select(kv => (kv.Value - sentAt[kv.Key]) / 1000.0).Order().ToArray();
        var request = requestMs.Order().ToArray();
        var afterAck = tail.SeenAtMicros.Where(kv => int.Parse(kv.Key.AsSpan(1), CultureInfo.InvariantCulture) >= warm)
            .Select(kv => Math.Max(0, kv.Value - ackedAt[kv.Key]) / 1000.0).Order().ToArray();
        Console.WriteLine($"ingest: {events:N0} events ({users:N0} users, identify + Order each) in batches of {batch}, {concurrency} concurrent senders, offered {(rate > 0 ? $"{rate:N0} events/s" : "as fast as taken")}");
        Console.WriteLine($"  acknowledged (durable) : {events / ingestSeconds:N0} events/s over {ingestSeconds:F1} s");
        Console.WriteLine($"  latencies below leave out the first tenth of the batches (warm-up)");
        Console.WriteLine($"  request latency        : p50 {P(request, 0.50):F1} ms, p99 {P(request, 0.99):F1} ms, max {request[^1]:F1} ms");
        Console.WriteLine($"  202 -> outbox file     : p50 {P(afterAck, 0.50):F1} ms, p99 {P(afterAck, 0.99):F1} ms, max {afterAck[^1]:F1} ms (0 when the line was there before the answer)");
        Console.WriteLine($"  event -> outbox file   : p50 {P(toOutbox, 0.50):F1} ms, p99 {P(toOutbox, 0.99):F1} ms, max {toOutbox[^1]:F1} ms ({toOutbox.Length:N0} messages)");
        Console.WriteLine($"  server max RSS         : {maxRss:N0} MiB; server CPU {cpu / ingestSeconds * 100:N0}% of one core during the ingest");
        return 0;
    }

    private static async Task<int> TimersAsync(string dll, string work, int count, int batch, int concurrency)
    {
        // all due at one instant, far enough ahead for the ingest to finish (measured ~10-20 k events/s here)
        var due = DateTimeOffset.UtcNow.AddSeconds(30 + count / 5_000.0);
        due = new DateTimeOffset(due.Year, due.Month, due.Day, due.Hour, due.Minute, due.Second, TimeSpan.Zero);
        File.WriteAllText(Path.Combine(work, "definitions", "load-wait.journey.json"), Waiting(due));
        using var server = await ServerProcess.StartAsync(dll, Path.Combine(work, "data", "journeys.db"), Path.Combine(work, "definitions"));
        using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromMinutes(2) };
        var idleRss = server.RssMiB();
        var clock = Stopwatch.StartNew();
        var batches = (count + batch - 1) / batch;
        var nextBatch = -1;
        var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int b;
            while ((b = Interlocked.Increment(ref nextBatch)) < batches)
            {
                var body = new StringBuilder();
                for (var u = b * batch; u < Math.Min(count, (b + 1) * batch); u++)
                {
                    body.Append(CultureInfo.InvariantCulture, $$"""{"type":"track","messageId":"w{{u}}","userId":"w{{u}}","event":"Go","timestamp":"2026-11-22T10:00:00Z"}""").Append('\n');
                }
                using var response = await http.PostAsync("/v1/events", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"));
                if (response.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"HTTP {(int)response.StatusCode}");
            }
        })).ToList();
        var rssDuringIngest = 0.0;
        while (!Task.WhenAll(senders).IsCompleted)
        {
            rssDuringIngest = Math.Max(rssDuringIngest, server.RssMiB());
            await Task.Delay(500);
        }
        await Task.WhenAll(senders);
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        if (DateTimeOffset.UtcNow >= due)
        {
            Console.Error.WriteLine("the ingest overran the due instant: timers started firing during it; rerun with a smaller --count");
            return 1;
        }
        var waitingRss = server.RssMiB();
        var active = await Active(http);
        Console.WriteLine($"timers: {count:N0} enrollments entered in {ingestSeconds:F1} s ({count / ingestSeconds:N0} events/s); {active:N0} waiting until {due:HH:mm:ss}");
        Console.WriteLine($"  RSS: idle {idleRss:N0} MiB, max during ingest {rssDuringIngest:N0} MiB, with all waiting {waitingRss:N0} MiB");
        while (DateTimeOffset.UtcNow < due) await Task.Delay(100);
        var firing = Stopwatch.StartNew();
        var maxRss = 0.0;
        long left;
        double firstZero = 0;
        while ((left = await Active(http)) > 0 && firing.Elapsed < TimeSpan.FromMinutes(10))
        {
            maxRss = Math.Max(maxRss, server.RssMiB());
            await Task.Delay(200);
        }
        firstZero = firing.Elapsed.TotalSeconds;
        Console.WriteLine($"  fired {count - left:N0} timers in {firstZero:F1} s after due: {(count - left) / firstZero:N0} timers/s; max RSS while firing {maxRss:N0} MiB");
        return 0;
    }

    private static async Task<long> Active(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/v1/journeys/load-wait/stats"));
        return doc.RootElement.GetProperty("active").GetInt64();
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static Dictionary<string, string> Args(IEnumerable<string> args)
    {
        var list = args.ToList();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            options[list[i].TrimStart('-')] = list[i + 1];
        }
        return options;
    }

    /// <summary>Follows the outbox file as it grows and notes when each user's message appears.</summary>
    private sealed class OutboxTail(string path, Stopwatch clock)
    {
        public ConcurrentDictionary<string, long> SeenAtMicros { get; } = new();

        public async Task Run(int expected, CancellationToken cancel)
        {
            while (!File.Exists(path)) await Task.Delay(5, cancel);
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var pending = new StringBuilder();
            while (SeenAtMicros.Count < expected && !cancel.IsCancellationRequested)
            {
                var chunk = await reader.ReadToEndAsync(cancel);
                if (chunk.Length == 0)
                {
                    await Task.Delay(1, cancel);
                    continue;
                }
                var now = (long)(clock.Elapsed.TotalMilliseconds * 1000);
                pending.Append(chunk);
                var text = pending.ToString();
                var end = text.LastIndexOf('\n');
                if (end < 0) continue;
                foreach (var line in text[..end].Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var at = line.IndexOf("\"user\":\"", StringComparison.Ordinal) + 8;
                    SeenAtMicros.TryAdd(line[at..line.IndexOf('"', at)], now);
                }
                pending.Clear().Append(text[(end + 1)..]);
            }
        }
    }
}
