using System.Net;
using System.Text.Json;
using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Stats;

/// <summary>DESIGN §10 in <c>serve</c>: the experiment readout, per-edge counts, attribution and the winner, from the stats API.</summary>
public sealed class ExperimentStatsTests : IAsyncLifetime
{
    public const string Journey = """
        {"id":"exp","entry":{"event":"Go"},"goal":{"event":"Purchase"},"start":"ab",
         "steps":{
           "ab":{"type":"split","experiment":{"window":"P1D","winner":{"after":"PT2S","minPerPath":8}},
                 "paths":[{"name":"control","percent":50,"control":true},{"name":"email","percent":50,"next":"mail"}]},
           "mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"wait"},
           "wait":{"type":"delay","for":"P2D"}}}
        """;

    private ServerFixture _server = null!;

    public async Task InitializeAsync() => _server = await ServerFixture.StartAsync(journeys: [("exp.journey.json", Journey)]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    private async Task PostAsync(IEnumerable<string> events)
    {
        using var response = await _server.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task The_readout_counts_paths_conversions_edges_and_attribution_then_the_winner_takes_new_users()
    {
        var users = Enumerable.Range(0, 40).Select(i => $"u{i}").ToList();
        await PostAsync(users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") }));
        var paths = (await _server.TraceAsync("journey=exp")).Where(r => r.GetProperty("kind").GetString() == "path")
            .ToDictionary(r => r.GetProperty("user").GetString()!, r => r.GetProperty("path").GetString()!);
        var emailed = users.Where(u => paths[u] == "email").ToList();
        var control = users.Where(u => paths[u] == "control").ToList();
        Assert.True(emailed.Count >= 8 && control.Count >= 8, $"split {emailed.Count}/{control.Count}");
        // every e-mailed user buys, one control user does
        await PostAsync(emailed.Append(control[0]).Select(u => ServerFixture.Track($"p-{u}", u, "Purchase")));

        var stats = await _server.GetJsonAsync("/v1/journeys/exp/stats");
        var readout = stats.GetProperty("experiments").GetProperty("ab");
        Assert.Equal("goal", readout.GetProperty("metric").GetString());
        Assert.Equal("holm", readout.GetProperty("correction").GetString());
        var byName = readout.GetProperty("paths").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(control.Count, byName["control"].GetProperty("entered").GetInt64());
        Assert.Equal(1, byName["control"].GetProperty("converted").GetInt64());
        Assert.Equal(emailed.Count, byName["email"].GetProperty("entered").GetInt64());
        Assert.Equal(emailed.Count, byName["email"].GetProperty("converted").GetInt64());
        var interval = byName["control"].GetProperty("interval");
        var rate = byName["control"].GetProperty("rate").GetDouble();
        Assert.InRange(rate, interval.GetProperty("low").GetDouble(), interval.GetProperty("high").GetDouble());
        Assert.True(byName["email"].GetProperty("significant").GetBoolean());
        Assert.True(byName["email"].GetProperty("adjustedPValue").GetDouble() < 0.05);
        Assert.False(byName["control"].TryGetProperty("pValue", out _));
        Assert.Equal(JsonValueKind.Null, readout.TryGetProperty("winner", out var none) ? none.ValueKind : JsonValueKind.Null);

        var edges = stats.GetProperty("edges").EnumerateArray().ToDictionary(e => $"{e.GetProperty("from").GetString()}>{e.GetProperty("to").GetString()}", e => e.GetProperty("taken").GetInt64());
        Assert.Equal(emailed.Count, edges["ab>mail"]);
        Assert.Equal(emailed.Count, edges["mail>wait"]);
        Assert.Equal(emailed.Count, stats.GetProperty("attribution").GetProperty("mail").GetInt64());
        // the journey's own conversions are its enrollments': the control user's enrollment had completed, the experiment still counts it
        Assert.Equal(emailed.Count, stats.GetProperty("converted").GetInt64());

        // after `after`, the next user decides: the e-mail path wins
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await PostAsync([ServerFixture.Identify("i-late", "late", new { email = "late@example.com" }), ServerFixture.Track("g-late", "late", "Go")]);
        var late = Assert.Single(await _server.TraceAsync("user=late&journey=exp"), r => r.GetProperty("kind").GetString() == "path");
        Assert.Equal("email", late.GetProperty("path").GetString());
        Assert.True(late.GetProperty("winner").GetBoolean());
        var after = (await _server.GetJsonAsync("/v1/journeys/exp/stats")).GetProperty("experiments").GetProperty("ab");
        Assert.Equal("email", after.GetProperty("winner").GetString());
        Assert.Contains(after.GetProperty("paths").EnumerateArray(), p => p.GetProperty("name").GetString() == "email" && p.GetProperty("winner").GetBoolean());
    }
}
