using System.Net;
using System.Text;
using Journeys.Local.Server;
using Journeys.Local.Server.Delivery;
using Journeys.Local.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Local.Tests.Server;

/// <summary>The channel providers: the outbox file's crash reconciliation, and the webhook's retries against a real HTTP receiver.</summary>
public sealed class OutboxDeliveryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-outbox-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private static string Line(string key, string to = "a@example.com") =>
        """{"at":"2026-11-22T10:00:00Z","user":"u","journey":"j","enrollment":"j:u:1","step":"s","channel":"webhook","to":"TO","idempotencyKey":"KEY","content":{"body":"{\"n\":1}"}}"""
            .Replace("TO", to, StringComparison.Ordinal).Replace("KEY", key, StringComparison.Ordinal);

    private static void Queue(SqliteDatabase database, params string[] keys)
    {
        using var command = database.CreateCommand();
        foreach (var key in keys)
        {
            command.CommandText = $"INSERT INTO outbox (idempotency_key, journey_id, channel, line, created_at) VALUES ('{key}', 'j', 'webhook', '{Line(key).Replace("'", "''", StringComparison.Ordinal)}', 0)";
            command.ExecuteNonQuery();
        }
    }

    private static List<int> Statuses(SqliteDatabase database)
    {
        using var command = database.CreateCommand();
        command.CommandText = "SELECT status FROM outbox ORDER BY seq";
        using var row = command.ExecuteReader();
        var list = new List<int>();
        while (row.Read()) list.Add(row.GetInt32(0));
        return list;
    }

    [Fact]
    public async Task Lines_written_but_not_marked_before_a_crash_are_marked_delivered_not_written_again_and_half_a_line_is_cut()
    {
        var db = Path.Combine(_folder, "j.db");
        var file = Path.Combine(_folder, "outbox.jsonl");
        using var database = SqliteDatabase.Open(db);
        Queue(database, "k1", "k2", "k3");
        var outbox = new SqliteOutbox(database);
        using (var provider = new OutboxFileProvider(file))
        {
            var due = outbox.Due(DateTimeOffset.UtcNow, 10);
            await provider.DeliverAsync(due.Take(1).ToList(), default);
            using (var scope = database.BeginTransaction())
            {
                outbox.MarkDelivered(due[0].Seq, DateTimeOffset.UtcNow);
                provider.Committing(outbox);
                scope.Commit();
            }
            // the crash: k2 written and on disk, k3 half written, neither marked
            await provider.DeliverAsync([due[1]], default);
        }
        File.AppendAllText(file, Line("k3")[..40]);

        using (var restarted = new OutboxFileProvider(file))
        {
            using (var scope = database.BeginTransaction())
            {
                restarted.Recover(outbox, DateTimeOffset.UtcNow);
                scope.Commit();
            }
            Assert.Equal([SqliteOutbox.Delivered, SqliteOutbox.Delivered, SqliteOutbox.Pending], Statuses(database));
            var again = outbox.Due(DateTimeOffset.UtcNow, 10);
            Assert.Equal(["k3"], again.Select(m => m.IdempotencyKey));
            await restarted.DeliverAsync(again, default);
        }
        var keys = ServerFixture.ReadLines(file).Select(l => l.GetProperty("idempotencyKey").GetString()).ToList();
        Assert.Equal(["k1", "k2", "k3"], keys);
    }

    /// <summary>A real HTTP receiver on 127.0.0.1 answering with the given statuses in turn.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly Queue<(int Status, string? RetryAfter)> _answers;

        public Receiver(params (int, string?)[] answers)
        {
            _answers = new(answers);
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapPost("/hook", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                lock (Received) Received.Add((context.Request.Headers["Idempotency-Key"].ToString(), reader.ReadToEndAsync().GetAwaiter().GetResult()));
                var (status, retryAfter) = _answers.Count > 0 ? _answers.Dequeue() : (200, null);
                if (retryAfter is not null) context.Response.Headers.RetryAfter = retryAfter;
                context.Response.StatusCode = status;
                await context.Response.WriteAsync("");
            });
            _app.StartAsync().GetAwaiter().GetResult();
            Url = _app.Urls.First() + "/hook";
        }

        public string Url { get; }

        public List<(string Key, string Body)> Received { get; } = [];

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    private static WebhookProvider Webhook(int maxAttempts = 3) => new(
        new HttpClient(), new WebhookOptions { MaxAttempts = maxAttempts, Backoff = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(5) },
        TimeProvider.System, NullLogger<WebhookProvider>.Instance);

    private static OutboxMessage Message(string url, string key, int attempts = 0) => new(1, key, "j", "webhook", Line(key, url), attempts);

    [Fact]
    public async Task A_webhook_posts_the_body_with_the_idempotency_key()
    {
        await using var receiver = new Receiver();
        var results = await Webhook().DeliverAsync([Message(receiver.Url, "key-1")], default);
        Assert.IsType<DeliveryResult.Delivered>(Assert.Single(results));
        var (key, body) = Assert.Single(receiver.Received);
        Assert.Equal("key-1", key);
        Assert.Equal("""{"n":1}""", body);
    }

    [Fact]
    public async Task A_429_retries_after_the_servers_retry_after_and_a_503_after_the_backoff()
    {
        await using var receiver = new Receiver((429, "7"), (503, null));
        var provider = Webhook();
        var first = Assert.IsType<DeliveryResult.Retry>(Assert.Single(await provider.DeliverAsync([Message(receiver.Url, "k")], default)));
        Assert.Equal(TimeSpan.FromSeconds(7), first.After);
        Assert.Equal("HTTP 429", first.Error);
        var second = Assert.IsType<DeliveryResult.Retry>(Assert.Single(await provider.DeliverAsync([Message(receiver.Url, "k", attempts: 1)], default)));
        Assert.Equal(TimeSpan.FromSeconds(4), second.After); // 2 s doubled for the second attempt
        Assert.IsType<DeliveryResult.Delivered>(Assert.Single(await provider.DeliverAsync([Message(receiver.Url, "k", attempts: 2)], default)));
        Assert.Equal(["k", "k", "k"], receiver.Received.Select(r => r.Key));
    }

    [Fact]
    public async Task A_webhook_fails_for_good_on_a_4xx_or_when_the_attempts_run_out()
    {
        await using var receiver = new Receiver((400, null), (500, null));
        var provider = Webhook(maxAttempts: 3);
        Assert.Equal("HTTP 400", Assert.IsType<DeliveryResult.Failed>(Assert.Single(await provider.DeliverAsync([Message(receiver.Url, "a")], default))).Error);
        var last = Assert.IsType<DeliveryResult.Failed>(Assert.Single(await provider.DeliverAsync([Message(receiver.Url, "b", attempts: 2)], default)));
        Assert.Contains("gave up after 3 attempts", last.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_webhook_is_retried_and_a_non_http_url_fails()
    {
        var provider = Webhook();
        var unreachable = Assert.Single(await provider.DeliverAsync([Message("http://127.0.0.1:1/hook", "c")], default));
        Assert.IsType<DeliveryResult.Retry>(unreachable);
        var file = Assert.Single(await provider.DeliverAsync([Message("file:///etc/passwd", "d")], default));
        Assert.IsType<DeliveryResult.Failed>(file);
    }

    [Fact]
    public async Task The_server_routes_a_channel_to_the_webhook_provider_when_configured()
    {
        await using var receiver = new Receiver();
        var journey = """
            {"id":"hook","entry":{"event":"Go"},"start":"call","steps":{
              "call":{"type":"send","channel":"webhook","content":{"url":"URL","body":"{\"user\":\"{{profile.userId}}\"}"}}}}
            """.Replace("URL", receiver.Url, StringComparison.Ordinal);
        await using var server = await ServerFixture.StartAsync(journeys: [TestJourneys.File("hook", journey)], configure: o => o.Channels["webhook"] = "webhook");
        try
        {
            using var response = await server.PostEventsAsync(ServerFixture.Track("w1", "zoe", "Go"));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var until = DateTime.UtcNow.AddSeconds(10);
            while (receiver.Received.Count == 0 && DateTime.UtcNow < until) await Task.Delay(50);
            var (key, body) = Assert.Single(receiver.Received);
            Assert.Equal("hook:zoe:1:call:1", key);
            Assert.Contains("zoe", body, StringComparison.Ordinal);
            Assert.False(File.Exists(server.OutboxFile) && new FileInfo(server.OutboxFile).Length > 0);
        }
        finally
        {
            server.DeleteFolder();
        }
    }
}
