using System.Net;
using System.Text.Json;
using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Stats;

/// <summary>
/// <c>steps</c> in serve's stats counts arrivals: once per visit, whatever the step, so a waitFor's count is its
/// waiters and its outcomes together (not both added), and every step's count is the edges into it plus the entries
/// at the first step.
/// </summary>
public sealed class StepReachedStatsTests : IAsyncLifetime
{
    private const string Journey = """
        {"id":"ask","entry":{"event":"Go"},"start":"hello",
         "steps":{
           "hello":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"wait"},
           "wait":{"type":"waitFor","event":"Purchase","timeout":"P1D","onEvent":"thanks","onTimeout":"pause"},
           "thanks":{"type":"send","channel":"email","content":{"subject":"Thanks","body":"b"}},
           "pause":{"type":"delay","for":"P2D"}}}
        """;

    private ServerFixture _server = null!;

    public async Task InitializeAsync() => _server = await ServerFixture.StartAsync(journeys: [("ask.journey.json", Journey)]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    [Fact]
    public async Task A_step_is_counted_once_per_arrival_and_equals_the_edges_into_it()
    {
        string[] users = ["ann", "bob", "cy"];
        var events = users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") })
            .Append(ServerFixture.Track("p-ann", "ann", "Purchase"));
        using (var response = await _server.PostEventsAsync("[" + string.Join(",", events) + "]"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var stats = await _server.GetJsonAsync("/v1/journeys/ask/stats");
        var steps = stats.GetProperty("steps").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        Assert.Equal(3, steps["hello"]);
        Assert.Equal(3, steps["wait"]); // two still waiting, one went on: each counted when it came, not again when it left
        Assert.Equal(1, steps["thanks"]);
        Assert.False(steps.ContainsKey("pause")); // nobody timed out yet
        var into = stats.GetProperty("edges").EnumerateArray()
            .GroupBy(e => e.GetProperty("to").GetString()!)
            .ToDictionary(g => g.Key, g => g.Sum(e => e.GetProperty("taken").GetInt64()));
        // ann's thank-you has no next: she completed, along the edge to the graph's end
        Assert.Equal(1, stats.GetProperty("completed").GetInt64());
        Assert.Equal(1, into["(end)"]);
        Assert.Single(stats.GetProperty("edges").EnumerateArray(), e => e.GetProperty("to").GetString() == "(end)" && e.GetProperty("from").GetString() == "thanks");
        var entered = stats.GetProperty("entered").GetInt64();
        foreach (var (step, count) in steps)
        {
            Assert.Equal(count, into.GetValueOrDefault(step) + (step == "hello" ? entered : 0));
        }
    }
}
