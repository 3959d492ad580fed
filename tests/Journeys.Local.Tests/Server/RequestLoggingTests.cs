using System.Net;
using System.Text;

namespace Journeys.Local.Tests.Server;

/// <summary>Issue 10, item 7: a serve process logs at most one line of information per request, and nothing above it for requests that went well or were refused.</summary>
[Collection(ServerProcess.Collection)]
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task Forty_requests_of_every_kind_log_at_most_forty_entries_none_a_warning()
    {
        var folder = Directory.CreateTempSubdirectory("journeys-logs-").FullName;
        try
        {
            var definitions = Path.Combine(folder, "definitions");
            Directory.CreateDirectory(definitions);
            File.WriteAllText(Path.Combine(definitions, "instant.journey.json"), TestJourneys.Instant);
            using var server = await ServerProcess.StartAsync(Path.Combine(folder, "journeys.db"), definitions);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url) };
            await Task.Delay(500); // the start-up lines are written
            var before = Entries(server);

            var requests = 0;
            for (var i = 0; i < 5; i++)
            {
                var user = $"log-{i}";
                await SendAsync(http.PostAsync("/v1/events", Json(ServerFixture.Track($"e-{i}", user, "Go"))), HttpStatusCode.Accepted);
                await SendAsync(http.PostAsync("/v1/batch", Json($$"""{"batch":[{"type":"track","userId":"{{user}}","event":"Go"},{"type":"bogus"}]}""")), HttpStatusCode.OK);
                await SendAsync(http.PostAsync("/v1/page", Json($$"""{"userId":"{{user}}","name":"Home"}""")), HttpStatusCode.OK);
                await SendAsync(http.PostAsync("/v1/track", Json("{not json")), HttpStatusCode.BadRequest);
                await SendAsync(http.GetAsync("/v1/journeys"), HttpStatusCode.OK);
                await SendAsync(http.GetAsync("/v1/trace?user=" + user), HttpStatusCode.OK);
                await SendAsync(http.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound);
                await SendAsync(http.DeleteAsync("/v1/events"), HttpStatusCode.MethodNotAllowed);
                requests += 8;
            }
            await Task.Delay(1500); // the console logger writes from a queue; the dispatcher delivers the e-mails meanwhile

            var logged = Entries(server).Skip(before.Count).ToList();
            Assert.True(logged.Count <= requests, $"{logged.Count} log entries for {requests} requests:\n{string.Join('\n', logged)}");
            Assert.All(logged, e => Assert.StartsWith("info:", e, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task SendAsync(Task<HttpResponseMessage> send, HttpStatusCode expected)
    {
        using var response = await send;
        Assert.Equal(expected, response.StatusCode);
    }

    /// <summary>The console logger's entries: each starts with its level (<c>info: Category[id]</c>), its message on the next line.</summary>
    private static List<string> Entries(ServerProcess server) =>
        server.Output.Where(l => l.Length > 5 && l[4] == ':' && !char.IsWhiteSpace(l[0])).ToList();
}
