using System.Globalization;
using Journeys.Hosting.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Local.Tests.Hosting;

/// <summary>The one webhook sender (serve's provider and the Functions channel use it), against a real receiver on 127.0.0.1.</summary>
public sealed class WebhookSenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static WebhookSender Sender(int maxAttempts = 5, TimeSpan? timeout = null) => new(
        new HttpClient(),
        new WebhookPolicy(timeout ?? TimeSpan.FromSeconds(5), maxAttempts, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)),
        new FixedTime(Now),
        NullLogger.Instance);

    private static WebhookRequest Request(Uri url, string key = "j:u:1:call:1", string? method = null) => WebhookRequest.Create(
        url.ToString(), method, [new("X-Team", "growth"), new("Content-Type", "application/vnd.test+json")], """{"n":1}""", key, "j");

    [Fact]
    public async Task It_sends_the_method_headers_body_and_the_idempotency_key()
    {
        await using var receiver = new WebhookReceiver();
        Assert.IsType<WebhookOutcome.Delivered>(await Sender().SendAsync(Request(receiver.Url, method: "put"), 1, default));
        var call = Assert.Single(receiver.Received);
        Assert.Equal("PUT", call.Method);
        Assert.Equal("j:u:1:call:1", call.Headers["Idempotency-Key"]);
        Assert.Equal("growth", call.Headers["X-Team"]);
        Assert.StartsWith("application/vnd.test+json", call.Headers["Content-Type"], StringComparison.Ordinal);
        Assert.Equal("""{"n":1}""", call.Body);
    }

    [Fact]
    public async Task The_same_key_goes_with_every_attempt()
    {
        await using var receiver = new WebhookReceiver(new(503), new(503));
        var sender = Sender();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await sender.SendAsync(Request(receiver.Url, key: "same"), attempt, default);
        }
        Assert.Equal(["same", "same", "same"], receiver.Received.Select(c => c.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task Retry_after_in_seconds_is_the_wait()
    {
        await using var receiver = new WebhookReceiver(new WebhookReceiver.Answer(429, "7"));
        var retry = Assert.IsType<WebhookOutcome.Retry>(await Sender().SendAsync(Request(receiver.Url), 1, default));
        Assert.Equal(TimeSpan.FromSeconds(7), retry.After);
        Assert.True(retry.FromServer);
        Assert.Equal("HTTP 429", retry.Error);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_the_time_until_it_and_a_past_date_is_no_wait()
    {
        var future = (Now + TimeSpan.FromSeconds(90)).ToString("r", CultureInfo.InvariantCulture);
        var past = (Now - TimeSpan.FromMinutes(5)).ToString("r", CultureInfo.InvariantCulture);
        await using var receiver = new WebhookReceiver(new(503, future), new(503, past));
        var sender = Sender();
        Assert.Equal(TimeSpan.FromSeconds(90), Assert.IsType<WebhookOutcome.Retry>(await sender.SendAsync(Request(receiver.Url), 1, default)).After);
        Assert.Equal(TimeSpan.Zero, Assert.IsType<WebhookOutcome.Retry>(await sender.SendAsync(Request(receiver.Url), 1, default)).After);
    }

    [Fact]
    public async Task Without_retry_after_the_backoff_doubles_up_to_its_cap()
    {
        await using var receiver = new WebhookReceiver(new(500), new(408), new(502), new(503));
        var sender = Sender(maxAttempts: 10);
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var retry = Assert.IsType<WebhookOutcome.Retry>(await sender.SendAsync(Request(receiver.Url), attempt, default));
            Assert.False(retry.FromServer);
            waits.Add(retry.After);
        }
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)], waits);
    }

    [Fact]
    public async Task Another_4xx_fails_at_once_and_the_last_attempt_gives_up()
    {
        await using var receiver = new WebhookReceiver(new(404), new(503));
        var sender = Sender(maxAttempts: 3);
        Assert.Equal("HTTP 404", Assert.IsType<WebhookOutcome.Failed>(await sender.SendAsync(Request(receiver.Url), 1, default)).Error);
        var last = Assert.IsType<WebhookOutcome.Failed>(await sender.SendAsync(Request(receiver.Url), 3, default));
        Assert.Equal("HTTP 503; gave up after 3 attempts", last.Error);
    }

    [Fact]
    public async Task A_timeout_and_a_refused_connection_are_retried()
    {
        await using var receiver = new WebhookReceiver(new WebhookReceiver.Answer(200, Delay: TimeSpan.FromSeconds(5)));
        var slow = Assert.IsType<WebhookOutcome.Retry>(await Sender(timeout: TimeSpan.FromMilliseconds(300)).SendAsync(Request(receiver.Url), 1, default));
        Assert.Equal("timed out", slow.Error);
        var refused = Assert.IsType<WebhookOutcome.Retry>(await Sender().SendAsync(Request(new Uri("http://127.0.0.1:1/hook")), 1, default));
        Assert.StartsWith("connection failed", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_absolute_http_urls_are_webhooks()
    {
        Assert.Throws<FormatException>(() => WebhookRequest.Create("file:///etc/passwd", null, [], null, "k", "j"));
        Assert.Throws<FormatException>(() => WebhookRequest.Create("/relative", null, [], null, "k", "j"));
    }

    [Theory]
    [InlineData("120", 120)]
    [InlineData("Tue, 01 Dec 2026 10:00:30 GMT", 30)]
    [InlineData("Tue, 01 Dec 2026 09:00:00 GMT", 0)]
    public void Retry_after_text_reads_as_seconds_or_a_date(string header, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterHeader.Wait(header, Now));

    [Fact]
    public void Retry_after_text_that_is_neither_is_no_wait_given() => Assert.Null(RetryAfterHeader.Wait("soon", Now));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
