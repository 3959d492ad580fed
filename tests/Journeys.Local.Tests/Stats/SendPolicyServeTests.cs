using System.Net;
using Journeys.Core.Engine;
using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Stats;

/// <summary>DESIGN §10's settings in <c>serve</c>: a rate limit spaces sends in order and drops none; the global control group gets none.</summary>
public sealed class SendPolicyServeTests
{
    private const string Journey = """
        {"id":"hello","entry":{"event":"Go"},"goal":{"event":"Purchase","exit":false},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"wait"},
                  "wait":{"type":"delay","for":"P1D"}}}
        """;

    private static async Task<ServerFixture> StartAsync(string settings)
    {
        var folder = Directory.CreateTempSubdirectory("journeys-policy-").FullName;
        var file = Path.Combine(folder, "settings.json");
        File.WriteAllText(file, settings);
        return await ServerFixture.StartAsync(folder, journeys: [("hello.journey.json", Journey)], configure: o => o.Settings = file);
    }

    private static async Task PostAsync(ServerFixture server, IEnumerable<string> events)
    {
        using var response = await server.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_rate_limit_defers_sends_to_their_slots_in_order_and_every_one_goes_out()
    {
        await using var server = await StartAsync("""{"rateLimits":{"email":{"perMinute":120}}}""");
        try
        {
            var users = new[] { "a", "b", "c" };
            await PostAsync(server, users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") }));
            var outbox = await server.OutboxAsync(atLeast: 3, timeout: TimeSpan.FromSeconds(20));
            Assert.Equal(users, outbox.Select(l => l.GetProperty("user").GetString()));
            var at = outbox.Select(l => l.GetProperty("at").GetDateTimeOffset()).ToList();
            Assert.True(at[1] - at[0] >= TimeSpan.FromSeconds(0.5) && at[2] - at[1] >= TimeSpan.FromSeconds(0.5), string.Join(", ", at));
            var deferred = (await server.TraceAsync("journey=hello")).Where(r => r.GetProperty("kind").GetString() == TraceKind.Deferred).ToList();
            Assert.Equal(["b", "c"], deferred.Select(r => r.GetProperty("user").GetString()));
        }
        finally
        {
            server.DeleteFolder();
        }
    }

    [Fact]
    public async Task The_global_control_group_is_suppressed_and_still_converts()
    {
        await using var server = await StartAsync("""{"globalControl":{"percent":50}}""");
        try
        {
            var control = new GlobalControl(50);
            var users = Enumerable.Range(0, 20).Select(i => $"u{i}").ToList();
            var held = users.Where(control.Holds).ToList();
            Assert.NotEmpty(held);
            await PostAsync(server, users.SelectMany(u => new[]
            {
                ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go"), ServerFixture.Track($"p-{u}", u, "Purchase"),
            }));
            var outbox = await server.OutboxAsync(atLeast: users.Count - held.Count);
            Assert.Equal(users.Except(held).Order(StringComparer.Ordinal), outbox.Select(l => l.GetProperty("user").GetString()!).Order(StringComparer.Ordinal));
            var stats = await server.GetJsonAsync("/v1/journeys/hello/stats");
            Assert.Equal(held.Count, stats.GetProperty("channels").GetProperty("email").GetProperty("suppressed").GetInt64());
            var suppressed = (await server.TraceAsync("journey=hello")).Where(r => r.GetProperty("kind").GetString() == TraceKind.Suppressed).ToList();
            Assert.All(suppressed, r => Assert.Equal(TraceReason.GlobalControl, r.GetProperty("reason").GetString()));
            Assert.Equal(users.Count, stats.GetProperty("converted").GetInt64());
        }
        finally
        {
            server.DeleteFolder();
        }
    }
    [Fact]
    public async Task The_global_control_readout_compares_the_held_out_users_conversions_with_the_messaged_ones()
    {
        await using var server = await StartAsync("""{"globalControl":{"percent":50}}""");
        try
        {
            var control = new GlobalControl(50);
            var users = Enumerable.Range(0, 40).Select(i => $"u{i}").ToList();
            var held = users.Where(control.Holds).ToList();
            var messaged = users.Except(held).ToList();
            Assert.True(held.Count >= 10 && messaged.Count >= 10, $"{held.Count} held out of {users.Count}");
            // every messaged user buys, one held-out user does
            var buyers = messaged.Append(held[0]).ToHashSet();
            await PostAsync(server, users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") })
                .Concat(buyers.Select(u => ServerFixture.Track($"p-{u}", u, "Purchase"))));

            var stats = await server.GetJsonAsync("/v1/journeys/hello/stats");
            var rows = stats.GetProperty("globalControl").GetProperty("paths").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
            Assert.True(rows["held-out"].GetProperty("control").GetBoolean());
            Assert.Equal(held.Count, rows["held-out"].GetProperty("entered").GetInt64());
            Assert.Equal(1, rows["held-out"].GetProperty("converted").GetInt64());
            Assert.Equal(messaged.Count, rows["messaged"].GetProperty("entered").GetInt64());
            Assert.Equal(messaged.Count, rows["messaged"].GetProperty("converted").GetInt64());
            var heldRate = 1.0 / held.Count;
            Assert.Equal((1.0 - heldRate) / heldRate, rows["messaged"].GetProperty("lift").GetDouble(), 9);
            Assert.True(rows["messaged"].GetProperty("significant").GetBoolean());
            Assert.InRange(rows["messaged"].GetProperty("pValue").GetDouble(), 0, 0.05);
        }
        finally
        {
            server.DeleteFolder();
        }
    }

    [Fact]
    public async Task Without_a_global_control_group_the_stats_have_no_such_readout()
    {
        await using var server = await StartAsync("{}");
        try
        {
            await PostAsync(server, [ServerFixture.Identify("i-a", "a", new { email = "a@example.com" }), ServerFixture.Track("g-a", "a", "Go")]);
            var stats = await server.GetJsonAsync("/v1/journeys/hello/stats");
            Assert.Equal(1, stats.GetProperty("entered").GetInt64());
            Assert.False(stats.TryGetProperty("globalControl", out _));
        }
        finally
        {
            server.DeleteFolder();
        }
    }
}
