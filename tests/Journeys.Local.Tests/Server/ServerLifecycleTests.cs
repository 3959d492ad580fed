using System.Net;
using Journeys.Local.Tests.Cli;

namespace Journeys.Local.Tests.Server;

/// <summary>What outlives a restart, the samples as defaults, the API key, and start-up errors.</summary>
public sealed class ServerLifecycleTests
{
    [Fact]
    public async Task With_no_definitions_configured_the_samples_are_served()
    {
        await using var server = await ServerFixture.StartAsync();
        try
        {
            var journeys = await server.GetJsonAsync("/v1/journeys");
            Assert.Equal(13, journeys.GetArrayLength());
            using var page = await server.Http.GetAsync("/");
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            server.DeleteFolder();
        }
    }

    [Fact]
    public async Task A_restart_keeps_versions_statuses_trace_and_waiting_enrollments_and_publishes_nothing_new()
    {
        var folder = Directory.CreateTempSubdirectory("journeys-restart-").FullName;
        try
        {
            (string, string)[] journeys = [TestJourneys.File("waits", TestJourneys.Waits), TestJourneys.File("instant", TestJourneys.Instant)];
            await using (var first = await ServerFixture.StartAsync(folder, journeys))
            {
                using (await first.PostEventsAsync(ServerFixture.Track("r1", "ann", "Go"))) { }
                using (await first.Http.PostAsync("/v1/journeys/instant/pause", null)) { }
            }
            await using var second = await ServerFixture.StartAsync(folder, journeys);
            var waits = await second.GetJsonAsync("/v1/journeys/waits/stats");
            Assert.Equal(1, waits.GetProperty("version").GetInt32());
            Assert.Equal(1, waits.GetProperty("active").GetInt64());
            Assert.Equal("paused", (await second.GetJsonAsync("/v1/journeys/instant")).GetProperty("status").GetString());
            Assert.Contains(await second.TraceAsync("user=ann"), r => r.GetProperty("kind").GetString() == "entered");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_configured_api_key_is_required_on_the_api_but_not_on_healthz()
    {
        await using var server = await ServerFixture.StartAsync(journeys: [TestJourneys.File("waits", TestJourneys.Waits)], configure: o => o.ApiKey = "s3cret");
        try
        {
            using (var anonymous = await server.Http.GetAsync("/v1/journeys"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Contains("X-Api-Key", (await server.JsonAsync(anonymous)).GetProperty("error").GetString(), StringComparison.Ordinal);
            }
            using (var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/journeys") { Headers = { { "X-Api-Key", "guess" } } })
            using (var response = await server.Http.SendAsync(wrong))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            }
            using (var right = new HttpRequestMessage(HttpMethod.Get, "/v1/journeys") { Headers = { { "X-Api-Key", "s3cret" } } })
            using (var response = await server.Http.SendAsync(right))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
            using var health = await server.Http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            server.DeleteFolder();
        }
    }

    [Fact]
    public void Serve_with_a_missing_definitions_folder_says_so_and_exits_1()
    {
        var folder = Directory.CreateTempSubdirectory("journeys-serve-bad-").FullName;
        try
        {
            var run = CliRun.Of("serve", "--urls", "http://127.0.0.1:0", "--data", Path.Combine(folder, "j.db"), "--definitions", Path.Combine(folder, "missing"));
            Assert.Equal(1, run.Exit);
            Assert.Contains("no such definitions folder", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
