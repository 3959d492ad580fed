using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Journeys.Local.Tests.Server;

/// <summary>The HTTP API of DESIGN §6 against a real server on 127.0.0.1 over a real SQLite file.</summary>
public sealed class ServerApiTests : IAsyncLifetime
{
    private ServerFixture _server = null!;

    public async Task InitializeAsync() => _server = await ServerFixture.StartAsync(journeys:
    [
        TestJourneys.File("instant", TestJourneys.Instant),
        TestJourneys.File("two-steps", TestJourneys.TwoSteps),
        TestJourneys.File("waits", TestJourneys.Waits),
    ]);

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    private async Task<JsonElement> PostAsync(string body, string contentType = "application/json", HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        using var response = await _server.PostEventsAsync(body, contentType);
        Assert.Equal(expected, response.StatusCode);
        return await _server.JsonAsync(response);
    }

    private static string Array(params string[] events) => "[" + string.Join(",", events) + "]";

    [Fact]
    public async Task Healthz_answers_when_the_store_is_open()
    {
        var health = await _server.GetJsonAsync("/healthz");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(3, health.GetProperty("journeys").GetInt32());
    }

    [Fact]
    public async Task An_event_enters_a_journey_and_its_message_reaches_the_outbox_file_with_its_idempotency_key()
    {
        var result = await PostAsync(Array(
            ServerFixture.Identify("m1", "ann", new { email = "ann@example.com", firstName = "Ann" }),
            ServerFixture.Track("m2", "ann", "Go")));
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        Assert.Equal(0, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, result.GetProperty("rejected").GetArrayLength());

        var outbox = await _server.OutboxAsync(atLeast: 2);
        var hello = Assert.Single(outbox, l => l.GetProperty("journey").GetString() == "instant");
        Assert.Equal("ann@example.com", hello.GetProperty("to").GetString());
        Assert.Equal("Hi Ann", hello.GetProperty("content").GetProperty("subject").GetString());
        Assert.Equal("instant:ann:1:hello:1", hello.GetProperty("idempotencyKey").GetString());

        var trace = await _server.TraceAsync("user=ann&journey=instant");
        Assert.Equal(["entered", "sent", "completed"], trace.Select(r => r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Ndjson_bodies_are_read_line_by_line_and_duplicates_are_counted_not_applied()
    {
        var body = ServerFixture.Identify("n1", "bob", new { email = "bob@example.com" }) + "\n" + ServerFixture.Track("n2", "bob", "Go") + "\n";
        var first = await PostAsync(body, "application/x-ndjson");
        Assert.Equal(2, first.GetProperty("accepted").GetInt32());
        var again = await PostAsync(body, "application/x-ndjson");
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());
        var trace = await _server.TraceAsync("user=bob");
        Assert.Single(trace, r => r.GetProperty("kind").GetString() == "entered" && r.GetProperty("journey").GetString() == "instant");
    }

    [Fact]
    public async Task A_bad_event_is_rejected_by_index_and_message_id_while_the_rest_are_taken()
    {
        var result = await PostAsync(Array(
            ServerFixture.Track("ok-1", "cat", "Seen"),
            """{"type":"track","messageId":"bad-1","userId":"cat","timestamp":"2026-11-22T10:00:00Z"}""",
            """ "not an object" """,
            ServerFixture.Track("ok-2", "cat", "Seen")));
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([1, 2], rejected.Select(r => r.GetProperty("index").GetInt32()));
        Assert.Equal("bad-1", rejected[0].GetProperty("messageId").GetString());
        Assert.Contains("event", rejected[0].GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_that_says_so_and_changes_nothing()
    {
        var error = await PostAsync("""[{"type":"track",""", expected: HttpStatusCode.BadRequest);
        Assert.StartsWith("the body is not JSON", error.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await _server.TraceAsync());
    }

    [Fact]
    public async Task Too_many_events_or_too_many_bytes_is_a_413_and_nothing_is_taken()
    {
        await using var small = await ServerFixture.StartAsync(journeys: [TestJourneys.File("instant", TestJourneys.Instant)],
            configure: o => { o.MaxBatchEvents = 2; o.MaxBodyBytes = 4096; });
        try
        {
            var three = Array(ServerFixture.Track("a", "u", "Go"), ServerFixture.Track("b", "u", "Go"), ServerFixture.Track("c", "u", "Go"));
            using (var response = await small.PostEventsAsync(three))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
                Assert.Contains("at most 2 events", (await small.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
            }
            var huge = ServerFixture.Track("big", "u", "Go", new { padding = new string('x', 8000) });
            using (var response = await small.PostEventsAsync(huge))
            {
                Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            }
            Assert.Empty(await small.TraceAsync());
            using var ok = await small.PostEventsAsync(ServerFixture.Track("a", "u", "Seen"));
            Assert.Equal(HttpStatusCode.Accepted, ok.StatusCode);
        }
        finally
        {
            small.DeleteFolder();
        }
    }

    [Fact]
    public async Task Journeys_are_listed_and_read_with_their_version_and_definition()
    {
        var list = await _server.GetJsonAsync("/v1/journeys");
        Assert.Equal(["instant", "two-steps", "waits"], list.EnumerateArray().Select(j => j.GetProperty("id").GetString()));
        var one = await _server.GetJsonAsync("/v1/journeys/instant");
        Assert.Equal(1, one.GetProperty("version").GetInt32());
        Assert.Equal("active", one.GetProperty("status").GetString());
        Assert.Equal("hello", one.GetProperty("definition").GetProperty("start").GetString());
        using var missing = await _server.Http.GetAsync("/v1/journeys/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("no journey 'nope'", (await _server.JsonAsync(missing)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Publishing_makes_a_new_version_and_an_invalid_definition_gets_every_problem_with_its_path()
    {
        var invalid = """{"id":"instant","entry":{"event":"Go"},"start":"nowhere","steps":{"hello":{"type":"send","channel":"fax"}}}""";
        using (var refused = await _server.Http.PutAsync("/v1/journeys/instant", new StringContent(invalid, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problems = (await _server.JsonAsync(refused)).GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()).ToList();
            Assert.Contains("$.steps.hello.channel", problems);
            Assert.Contains("$.start", problems);
        }
        using (var wrongId = await _server.Http.PutAsync("/v1/journeys/other", new StringContent(TestJourneys.Instant, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongId.StatusCode);
        }
        using (var notJson = await _server.Http.PutAsync("/v1/journeys/instant", new StringContent("{", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        }
        Assert.Equal(1, (await _server.GetJsonAsync("/v1/journeys/instant")).GetProperty("version").GetInt32());

        var changed = TestJourneys.Instant.Replace("Hi {{profile.firstName}}", "Hello again", StringComparison.Ordinal);
        using (var published = await _server.Http.PutAsync("/v1/journeys/instant", new StringContent(changed, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, published.StatusCode);
            Assert.Equal(2, (await _server.JsonAsync(published)).GetProperty("version").GetInt32());
        }
        using (var same = await _server.Http.PutAsync("/v1/journeys/instant", new StringContent(changed, Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        }
        var read = await _server.GetJsonAsync("/v1/journeys/instant");
        Assert.Equal([1, 2], read.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));

        await PostAsync(Array(ServerFixture.Identify("p1", "dan", new { email = "dan@example.com" }), ServerFixture.Track("p2", "dan", "Go")));
        var outbox = await _server.OutboxAsync(atLeast: 2);
        Assert.Equal("Hello again", Assert.Single(outbox, l => l.GetProperty("journey").GetString() == "instant").GetProperty("content").GetProperty("subject").GetString());
    }

    [Fact]
    public async Task A_new_journey_can_be_published_through_the_api()
    {
        var fresh = TestJourneys.Instant.Replace("\"id\":\"instant\"", "\"id\":\"fresh\"", StringComparison.Ordinal).Replace("\"Go\"", "\"Fresh\"", StringComparison.Ordinal);
        using var published = await _server.Http.PutAsync("/v1/journeys/fresh", new StringContent(fresh, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, published.StatusCode);
        await PostAsync(Array(ServerFixture.Identify("f1", "eve", new { email = "eve@example.com" }), ServerFixture.Track("f2", "eve", "Fresh")));
        Assert.Contains(await _server.OutboxAsync(atLeast: 1), l => l.GetProperty("journey").GetString() == "fresh");
    }

    [Fact]
    public async Task Pause_stops_entries_and_holds_sends_until_resume()
    {
        await PostAsync(Array(ServerFixture.Identify("h1", "fay", new { email = "fay@example.com" }), ServerFixture.Track("h2", "fay", "Go")));
        using (var paused = await _server.Http.PostAsync("/v1/journeys/two-steps/pause", null))
        {
            Assert.Equal("paused", (await _server.JsonAsync(paused)).GetProperty("status").GetString());
        }
        await PostAsync(Array(ServerFixture.Identify("h3", "gus", new { email = "gus@example.com" }), ServerFixture.Track("h4", "gus", "Go")));
        await Task.Delay(2500); // fay's second message comes due while paused
        var held = ServerFixture.ReadLines(_server.OutboxFile).Where(l => l.GetProperty("journey").GetString() == "two-steps").ToList();
        Assert.DoesNotContain(held, l => l.GetProperty("step").GetString() == "second");
        Assert.DoesNotContain(held, l => l.GetProperty("user").GetString() == "gus");
        var stats = await _server.GetJsonAsync("/v1/journeys/two-steps/stats");
        Assert.Equal("paused", stats.GetProperty("status").GetString());

        using (await _server.Http.PostAsync("/v1/journeys/two-steps/resume", null)) { }
        // wait for the released message itself: the file also holds the 'instant' journey's lines,
        // so a line count alone can be reached before it is delivered
        static bool Second(JsonElement l) => l.GetProperty("journey").GetString() == "two-steps" && l.GetProperty("step").GetString() == "second";
        var until = DateTime.UtcNow.AddSeconds(10);
        List<JsonElement> lines;
        while (!(lines = ServerFixture.ReadLines(_server.OutboxFile)).Any(Second) && DateTime.UtcNow < until)
        {
            await Task.Delay(50);
        }
        Assert.Contains(lines, Second);
        Assert.DoesNotContain(lines, l => l.GetProperty("user").GetString() == "gus" && l.GetProperty("journey").GetString() == "two-steps");
    }

    [Fact]
    public async Task Stop_exits_everyone_and_takes_no_more_entries()
    {
        await PostAsync(Array(ServerFixture.Track("s1", "hal", "Go"), ServerFixture.Track("s2", "ida", "Go")));
        Assert.Equal(2, (await _server.GetJsonAsync("/v1/journeys/waits/stats")).GetProperty("active").GetInt64());
        using (var stopped = await _server.Http.PostAsync("/v1/journeys/waits/stop", null))
        {
            Assert.Equal("stopped", (await _server.JsonAsync(stopped)).GetProperty("status").GetString());
        }
        var stats = await _server.GetJsonAsync("/v1/journeys/waits/stats");
        Assert.Equal(0, stats.GetProperty("active").GetInt64());
        Assert.Equal(2, stats.GetProperty("exited").GetProperty("stopped").GetInt64());
        await PostAsync(ServerFixture.Track("s3", "jon", "Go"));
        Assert.Empty(await _server.TraceAsync("user=jon&journey=waits"));
        Assert.NotEmpty(await _server.TraceAsync("user=jon&journey=instant"));
        using var unknown = await _server.Http.PostAsync("/v1/journeys/nope/stop", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Stats_count_entries_steps_channels_and_exits()
    {
        await PostAsync(Array(
            ServerFixture.Identify("t1", "kim", new { email = "kim@example.com" }),
            ServerFixture.Track("t2", "kim", "Go"),
            ServerFixture.Track("t3", "lee", "Go"))); // no address: suppressed
        await _server.OutboxAsync(atLeast: 1);
        var stats = await _server.GetJsonAsync("/v1/journeys/instant/stats");
        Assert.Equal(2, stats.GetProperty("entered").GetInt64());
        Assert.Equal(2, stats.GetProperty("completed").GetInt64());
        Assert.Equal(1, stats.GetProperty("channels").GetProperty("email").GetProperty("sent").GetInt64());
        Assert.Equal(1, stats.GetProperty("channels").GetProperty("email").GetProperty("suppressed").GetInt64());
        Assert.Equal(2, stats.GetProperty("steps").GetProperty("hello").GetInt64());
    }

    [Fact]
    public async Task Trace_filters_by_user_journey_and_since_and_refuses_a_bad_since()
    {
        await PostAsync(Array(ServerFixture.Track("r1", "max", "Go"), ServerFixture.Track("r2", "ned", "Go")));
        Assert.All(await _server.TraceAsync("user=max"), r => Assert.Equal("max", r.GetProperty("user").GetString()));
        Assert.All(await _server.TraceAsync("journey=waits"), r => Assert.Equal("waits", r.GetProperty("journey").GetString()));
        Assert.Empty(await _server.TraceAsync("since=2999-01-01T00:00:00Z"));
        Assert.Equal(2, (await _server.TraceAsync("journey=waits&limit=2")).Count);
        using var bad = await _server.Http.GetAsync("/v1/trace?since=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task A_delay_fires_from_the_database_within_a_second_or_so_of_due()
    {
        await PostAsync(Array(ServerFixture.Identify("d1", "oli", new { email = "oli@example.com" }), ServerFixture.Track("d2", "oli", "Go")));
        var lines = (await _server.OutboxAsync(atLeast: 3, timeout: TimeSpan.FromSeconds(10)))
            .Where(l => l.GetProperty("journey").GetString() == "two-steps").ToList();
        var second = Assert.Single(lines, l => l.GetProperty("step").GetString() == "second");
        var first = Assert.Single(lines, l => l.GetProperty("step").GetString() == "first");
        var gap = DateTimeOffset.Parse(second.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(first.GetProperty("at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(gap, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }
}
