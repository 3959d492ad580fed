using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Sdk;

/// <summary>
/// The real <c>@segment/analytics-node</c> and <c>@rudderstack/rudder-sdk-node</c>, pointed at a real serve as an
/// app would point them (host, write key): every call type, batching, retries, gzip, a wrong key, and what the
/// calls do to journeys.
/// </summary>
[Collection(ServerProcess.Collection)]
public sealed class SdkTests(SdkServer server) : IClassFixture<SdkServer>
{
    public static TheoryData<string> Sdks => [NodeSdk.Segment, NodeSdk.RudderStack];

    private static object Track(string user, string @event, object? properties = null) =>
        new { type = "track", userId = user, @event, properties = properties ?? new { } };

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task Every_call_type_moves_a_journey_on_to_its_conversion_and_nothing_is_rejected(string sdk)
    {
        var user = sdk + "-ann";
        var anonymous = sdk + "-visitor";
        object[] calls =
        [
            new { type = "identify", anonymousId = anonymous, traits = new { email = user + "@example.com" } },
            new { type = "alias", previousId = anonymous, userId = user },
            new { type = "identify", userId = user, traits = new { firstName = "Ann" } },
            Track(user, "Signed Up", new { plan = "trial" }),
            new { type = "page", userId = user, name = "Pricing", properties = new { path = "/pricing" } },
            new { type = "screen", userId = user, name = "Home" },
            new { type = "group", userId = user, groupId = "acme", traits = new { name = "Acme" } },
            Track(user, "Order Completed", new { total = 42 }),
        ];

        var result = await NodeSdk.SendAsync(sdk, server.Proxy.Url, SdkServer.WriteKey, calls);

        Assert.Empty(result.Failed);
        Assert.Equal(calls.Length, result.Delivered);
        var trace = await server.TraceUntilAsync(user, "sdk-welcome", "exited");
        Assert.Equal(
            ["entered", "sent welcome", "path pricing event", "path app event", "path team event", "converted", "exited"],
            trace.Select(r => r.GetProperty("kind").GetString() + (r.TryGetProperty("step", out var step) ? " " + step.GetString() : "")
                + (r.TryGetProperty("path", out var path) ? " " + path.GetString() : "")));
        Assert.Equal("goal", trace[^1].GetProperty("reason").GetString());
        var welcome = Assert.Single(await server.MessagesToAsync(user, atLeast: 1));
        Assert.Equal(user + "@example.com", welcome.GetProperty("to").GetString()); // the anonymous profile's, merged by alias
        Assert.Equal("Welcome Ann", welcome.GetProperty("content").GetProperty("subject").GetString());
        Assert.Empty(await server.RejectedAsync(user));
    }

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task Calls_go_in_batches_of_at_most_flushAt_and_each_is_taken_once(string sdk)
    {
        var user = sdk + "-batch";
        var calls = Enumerable.Range(0, 12).Select(i => Track(user, "Go", new { i })).ToList();

        var result = await NodeSdk.SendAsync(sdk, server.Proxy.Url, SdkServer.WriteKey, calls, flushAt: 5);

        Assert.Equal(12, result.Delivered);
        var requests = Requests(user);
        Assert.All(requests, r => Assert.InRange(r.MessageIds.Count, 1, 5));
        Assert.Contains(requests, r => r.MessageIds.Count > 1);
        Assert.Equal(12, requests.Sum(r => r.MessageIds.Count));
        Assert.All(requests, r => Assert.Equal("/v1/batch", r.Path));
        var entered = (await server.TraceUntilAsync(user, "instant", "entered")).Count(r => r.GetProperty("kind").GetString() == "entered");
        Assert.Equal(12, entered);
    }

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task Without_a_flush_the_sdk_timer_sends_the_queued_calls_together(string sdk)
    {
        var user = sdk + "-timer";
        object[] calls = [Track(user, "Go"), Track(user, "Go"), Track(user, "Go")];

        var result = await NodeSdk.SendAsync(sdk, server.Proxy.Url, SdkServer.WriteKey, calls, flushAt: 100, flushInterval: 300, flush: false);

        Assert.Equal(3, result.Delivered);
        // RudderStack sends its very first call at once, the rest on the timer; Segment all on the timer
        var requests = Requests(user);
        Assert.InRange(requests.Count, 1, 2);
        Assert.Equal(3, requests.Sum(r => r.MessageIds.Count));
    }

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task After_a_503_the_sdk_retries_the_same_batch_and_its_calls_are_taken_once(string sdk)
    {
        var user = sdk + "-retry";
        object[] calls = [Track(user, "Go"), Track(user, "Go")];
        server.Proxy.FailNext(1);

        var result = await NodeSdk.SendAsync(sdk, server.Proxy.Url, SdkServer.WriteKey, calls);

        Assert.Empty(result.Failed);
        var requests = Requests(user);
        Assert.Equal(503, requests[0].Status);
        Assert.Single(requests, r => r.Status == 200 && r.MessageIds.SequenceEqual(requests[0].MessageIds));
        Assert.Equal(2, requests.Where(r => r.Status == 200).Sum(r => r.MessageIds.Count));
        var trace = await server.TraceUntilAsync(user, "instant", "completed");
        Assert.Equal(2, trace.Count(r => r.GetProperty("kind").GetString() == "entered"));
    }

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task The_write_key_goes_as_basic_auth_and_rudderstack_gzips(string sdk)
    {
        var user = sdk + "-wire";

        await NodeSdk.SendAsync(sdk, server.Proxy.Url, SdkServer.WriteKey, [Track(user, "Go")]);

        var request = Assert.Single(Requests(user));
        Assert.Equal("Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(SdkServer.WriteKey + ":")), request.Authorization);
        Assert.Equal(sdk == NodeSdk.RudderStack ? "gzip" : null, request.ContentEncoding);
        Assert.Equal(200, request.Status);
    }

    [Theory]
    [MemberData(nameof(Sdks))]
    public async Task A_wrong_write_key_fails_every_callback_and_nothing_is_taken(string sdk)
    {
        var user = sdk + "-intruder";

        var result = await NodeSdk.SendAsync(sdk, server.Proxy.Url, "guess", [Track(user, "Go"), Track(user, "Go")]);

        Assert.Equal(0, result.Delivered);
        Assert.Equal([0, 1], result.Failed.Select(f => f.Index).Order());
        Assert.All(Requests(user), r => Assert.Equal(401, r.Status));
        Assert.Empty(await server.TraceAsync(user, "instant"));
    }

    private List<SentRequest> Requests(string user) => server.Proxy.Carrying(user);
}
