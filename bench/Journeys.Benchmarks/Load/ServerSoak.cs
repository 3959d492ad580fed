using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;

namespace Journeys.Benchmarks.Load;

/// <summary>
/// <c>load soak</c>: a real <c>journeys serve</c> fed Segment batches at a steady rate for a long time, killed with
/// SIGKILL at intervals and restarted on the same file, with hostile requests mixed in; RSS and the request p99 are
/// sampled as it goes. At the end every acknowledged user must have exactly one message in the outbox (nothing lost
/// through a kill, nothing sent twice by a retry) and no request may have been answered 5xx (docs/performance.md).
/// </summary>
internal static class ServerSoak
{
    private const string Instant = """
        {"id":"soak-instant","entry":{"event":"Order"},"reentry":{"mode":"multiple"},"start":"thanks","steps":{
          "thanks":{"type":"send","channel":"email","content":{"subject":"Thanks {{profile.firstName}}","body":"Order received"}}}}
        """;

    private const int UsersPerBatch = 50; // identify + Order each: 100 calls a batch

    public static async Task<int> RunAsync(string dll, string work, TimeSpan duration, TimeSpan killEvery, int rate, int concurrency)
    {
        File.WriteAllText(Path.Combine(work, "definitions", "soak-instant.journey.json"), Instant);
        var data = Path.Combine(work, "data", "journeys.db");
        var definitions = Path.Combine(work, "definitions");
        var server = await ServerProcess.StartAsync(dll, data, definitions);
        var url = server.Url;
        var acked = new ConcurrentDictionary<int, bool>();
        var latencies = new ConcurrentQueue<double>();
        long ackedEvents = 0, retries = 0, hostile = 0, serverErrors = 0, hostileUnexpected = 0;
        var nextBatch = -1;
        var clock = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var stop = new CancellationTokenSource(duration);

        var senders = Enumerable.Range(0, concurrency).Select(sender => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var b = Interlocked.Increment(ref nextBatch);
                // nine slots in ten carry events: the hostile tenth comes on top of the offered rate
                var ahead = TimeSpan.FromSeconds((double)b * 9 / 10 * UsersPerBatch * 2 / rate) - clock.Elapsed;
                if (ahead > TimeSpan.Zero) await Task.Delay(ahead);
                if (b % 10 == 5)
                {
                    // one request in ten is hostile: the server must refuse it (4xx) or keep its bad calls, never 5xx
                    Interlocked.Increment(ref hostile);
                    var (ok, status) = await HostileAsync(http, Volatile.Read(ref url), b);
                    if (status >= 500) Interlocked.Increment(ref serverErrors);
                    else if (!ok && status > 0) Interlocked.Increment(ref hostileUnexpected);
                    continue;
                }
                var body = Batch(b);
                // as an SDK does: the same batch again until it is acknowledged (a kill answers nothing)
                while (true)
                {
                    var started = clock.Elapsed.TotalMilliseconds;
                    try
                    {
                        using var response = await http.PostAsync(Volatile.Read(ref url) + "/v1/batch", new StringContent(body, Encoding.UTF8, "application/json"));
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            latencies.Enqueue(clock.Elapsed.TotalMilliseconds - started);
                            for (var u = 0; u < UsersPerBatch; u++) acked[b * UsersPerBatch + u] = true;
                            Interlocked.Add(ref ackedEvents, UsersPerBatch * 2);
                            break;
                        }
                        if ((int)response.StatusCode >= 500) Interlocked.Increment(ref serverErrors);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // the server is down (killed) or restarting: retry
                    }
                    Interlocked.Increment(ref retries);
                    await Task.Delay(200);
                }
            }
        })).ToList();

        Console.WriteLine($"soak: {duration.TotalMinutes:N0} min, {rate:N0} events/s offered in Segment batches of {UsersPerBatch * 2}, {concurrency} senders, kill -9 every {killEvery.TotalSeconds:N0} s, one request in ten hostile");
        Console.WriteLine("   t (s) | acked events/s | request p99 (ms) | server RSS (MiB) | load avg | kills");
        var kills = 0;
        var nextKill = killEvery;
        var lastAcked = 0L;
        var lastSample = TimeSpan.Zero;
        var maxRss = 0.0;
        var p99s = new List<double>();
        while (!stop.IsCancellationRequested)
        {
            try { await Task.Delay(TimeSpan.FromSeconds(10), stop.Token); } catch (OperationCanceledException) { }
            var now = clock.Elapsed;
            var window = new List<double>();
            while (latencies.TryDequeue(out var l)) window.Add(l);
            window.Sort();
            var p99 = window.Count == 0 ? double.NaN : window[Math.Min(window.Count - 1, (int)(0.99 * window.Count))];
            if (window.Count > 0) p99s.Add(p99);
            var rss = SafeRss(server);
            maxRss = Math.Max(maxRss, rss);
            var ackedNow = Interlocked.Read(ref ackedEvents);
            Console.WriteLine($"{now.TotalSeconds,8:F0} | {(ackedNow - lastAcked) / (now - lastSample).TotalSeconds,14:N0} | {p99,16:F1} | {rss,16:N0} | {File.ReadAllText("/proc/loadavg").Split(' ')[0],8} | {kills,5}");
            lastAcked = ackedNow;
            lastSample = now;
            if (now >= nextKill && !stop.IsCancellationRequested)
            {
                server.Dispose(); // SIGKILL: no shutdown code runs
                kills++;
                nextKill += killEvery;
                server = await ServerProcess.StartAsync(dll, data, definitions);
                Volatile.Write(ref url, server.Url);
            }
        }
        await Task.WhenAll(senders);

        // every acknowledged user: exactly one message (the outbox file is written exactly once per message)
        var outbox = Path.Combine(work, "data", "outbox.jsonl");
        var users = acked.Keys.ToHashSet();
        Dictionary<int, int> counts = [];
        var until = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < until)
        {
            counts = MessagesPerUser(outbox);
            if (users.All(counts.ContainsKey)) break;
            await Task.Delay(1000);
        }
        var missing = users.Count(u => !counts.ContainsKey(u));
        var twice = counts.Count(c => c.Value > 1);
        var extra = counts.Keys.Count(u => !users.Contains(u)); // sent before a kill took the answer: retried, taken once
        server.Dispose();
        p99s.Sort();
        Console.WriteLine($"  acknowledged {Interlocked.Read(ref ackedEvents):N0} events ({users.Count:N0} users) over {clock.Elapsed.TotalMinutes:F1} min, {kills} kills, {Interlocked.Read(ref retries):N0} retried requests");
        Console.WriteLine($"  hostile requests {hostile:N0}: {hostileUnexpected:N0} answered otherwise than expected; 5xx answers (any request) {serverErrors:N0}");
        Console.WriteLine($"  outbox: {missing:N0} acknowledged users without their message, {twice:N0} users with more than one, {extra:N0} messages of unacknowledged (retried) batches");
        Console.WriteLine($"  request p99 per 10 s window: median {(p99s.Count == 0 ? double.NaN : p99s[p99s.Count / 2]):F1} ms, worst {(p99s.Count == 0 ? double.NaN : p99s[^1]):F1} ms; max RSS {maxRss:N0} MiB");
        return missing == 0 && twice == 0 && serverErrors == 0 && hostileUnexpected == 0 ? 0 : 1;
    }

    private static double SafeRss(ServerProcess server)
    {
        try { return server.RssMiB(); } catch (IOException) { return double.NaN; }
    }

    private static string Batch(int b)
    {
        var body = new StringBuilder("{\"batch\":[");
        for (var u = b * UsersPerBatch; u < (b + 1) * UsersPerBatch; u++)
        {
            if (u > b * UsersPerBatch) body.Append(',');
            body.Append(CultureInfo.InvariantCulture, $$$"""{"type":"identify","messageId":"s{{{u}}}-i","userId":"s{{{u}}}","traits":{"email":"s{{{u}}}@example.com","firstName":"S{{{u}}}"}},""");
            body.Append(CultureInfo.InvariantCulture, $$$"""{"type":"track","messageId":"s{{{u}}}-o","userId":"s{{{u}}}","event":"Order","properties":{"total":42.5}}""");
        }
        return body.Append("]}").ToString();
    }

    /// <summary>One hostile request of several kinds, and whether it was answered as it should be (0: no answer, the server was down).</summary>
    private static async Task<(bool Ok, int Status)> HostileAsync(HttpClient http, string url, int b)
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200);
        try
        {
            using var request = (b / 10 % 7) switch
            {
                0 => Post(url + "/v1/track", "{not json"),
                1 => Post(url + "/v1/batch", """{"batch":[{"type":"track","userId":"h","event":"\ud800"}]}"""),
                2 => Post(url + "/v1/batch", "{\"batch\":[{\"type\":\"track\",\"userId\":\"h\",\"event\":\"E\",\"properties\":" + deep + "}]}"),
                3 => Gzip(url + "/v1/batch", "not gzip at all"u8.ToArray()),
                4 => Gzip(url + "/v1/batch", Bomb()),
                5 => new HttpRequestMessage(HttpMethod.Delete, url + "/v1/batch"),
                _ => Post(url + "/v1/events", "\uFEFF{\"type\":\"track\"}\n\u0000garbage\n[1,2]\n", "application/x-ndjson"),
            };
            using var response = await http.SendAsync(request);
            var status = (int)response.StatusCode;
            var expected = (b / 10 % 7) switch { 0 or 3 => 400, 1 or 2 => 200, 4 => 413, 5 => 405, _ => 202 };
            return (status == expected, status);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (false, 0);
        }
    }

    private static HttpRequestMessage Post(string url, string body, string type = "application/json") =>
        new(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, type) };

    private static HttpRequestMessage Gzip(string url, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentEncoding.Add("gzip");
        return request;
    }

    private static readonly Lazy<byte[]> BombBytes = new(() =>
    {
        var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 20; i++) zip.Write(zeros); // 20 MiB of zeros, over the 16 MiB limit, ~20 KiB sent
        }
        return buffer.ToArray();
    });

    private static byte[] Bomb() => BombBytes.Value;

    private static Dictionary<int, int> MessagesPerUser(string outbox)
    {
        var counts = new Dictionary<int, int>();
        if (!File.Exists(outbox)) return counts;
        using var stream = new FileStream(outbox, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            var at = line.IndexOf("\"user\":\"s", StringComparison.Ordinal);
            if (at < 0) continue;
            var start = at + 9;
            var user = int.Parse(line.AsSpan(start, line.IndexOf('"', start) - start), CultureInfo.InvariantCulture);
            counts[user] = counts.GetValueOrDefault(user) + 1;
        }
        return counts;
    }
}
