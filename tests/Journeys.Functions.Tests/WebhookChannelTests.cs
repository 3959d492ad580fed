using Journeys.Core.Engine;
using Journeys.Functions.Channels;
using Journeys.Local.Tests.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Functions.Tests;

/// <summary>The Functions app's webhook channel over the shared sender, against a real receiver on 127.0.0.1.</summary>
public sealed class WebhookChannelTests
{
    private static WebhookChannel Channel() => new(new Clients(), TimeProvider.System, NullLogger<WebhookChannel>.Instance);

    private static SendMessage Message(Uri url) => new(
        DateTimeOffset.UtcNow, "hook:zoe:1", "zoe", "hook", "call", Journeys.Core.Definitions.Channel.Webhook, url.ToString(),
        new Dictionary<string, string> { ["body"] = """{"user":"zoe"}""" }, new Dictionary<string, string> { ["X-Team"] = "growth" }, "hook:zoe:1:call:1");

    [Fact]
    public async Task It_posts_the_body_with_the_step_headers_and_the_idempotency_key()
    {
        await using var receiver = new WebhookReceiver();
        await Channel().SendAsync(Message(receiver.Url), default);
        var call = Assert.Single(receiver.Received);
        Assert.Equal("POST", call.Method);
        Assert.Equal("hook:zoe:1:call:1", call.Headers["Idempotency-Key"]);
        Assert.Equal("growth", call.Headers["X-Team"]);
        Assert.Equal("""{"user":"zoe"}""", call.Body);
    }

    [Fact]
    public async Task A_short_retry_after_is_waited_in_the_activity_and_tried_once_more()
    {
        await using var receiver = new WebhookReceiver(new WebhookReceiver.Answer(429, "1"));
        await Channel().SendAsync(Message(receiver.Url), default);
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, c => Assert.Equal("hook:zoe:1:call:1", c.Headers["Idempotency-Key"]));
    }

    [Fact]
    public async Task A_long_retry_after_is_left_to_the_activity_retry_policy_and_a_4xx_fails()
    {
        await using var receiver = new WebhookReceiver(new(503, "120"), new(400));
        var throttled = await Assert.ThrowsAsync<ThrottledException>(() => Channel().SendAsync(Message(receiver.Url), default));
        Assert.Equal(TimeSpan.FromSeconds(120), throttled.RetryAfter);
        await Assert.ThrowsAsync<HttpRequestException>(() => Channel().SendAsync(Message(receiver.Url), default));
        Assert.Equal(2, receiver.Received.Count);
    }

    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
