using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Journeys.Local.Tests.Server;

/// <summary>The Segment HTTP Tracking API routes (DESIGN §3) against a real serve on 127.0.0.1, with an API key as write key.</summary>
public sealed class SegmentRoutesTests : IAsyncLifetime
{
    private const string Key = "wk-test";
    private ServerFixture _server = null!;

    /// <summary>A page view of "Discounts" sends an e-mail to the profile's address.</summary>
    private const string Viewed = """
        {"id":"viewed","entry":{"event":"Page Viewed"},"reentry":{"mode":"multiple"},"start":"hello","steps":{
          "hello":{"type":"send","channel":"email","content":{"subject":"Saw {{event.properties.name}}","body":"Hello"}}}}
        """;

    public async Task InitializeAsync()
    {
        _server = await ServerFixture.StartAsync(
            journeys: [TestJourneys.File("viewed", Viewed), TestJourneys.File("instant", TestJourneys.Instant)],
            configure: o => o.ApiKey = Key);
        _reads = new HttpClient { BaseAddress = _server.Http.BaseAddress };
        _reads.DefaultRequestHeaders.Add("X-Api-Key", Key); // reads only: the SDK calls authenticate their own way
    }

    private HttpClient _reads = null!;

    public async Task DisposeAsync()
    {
        _reads.Dispose();
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    private async Task<List<JsonElement>> TraceAsync(string query) =>
        (await _reads.GetStringAsync("/v1/trace?" + query)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var doc = JsonDocument.Parse(await _reads.GetStringAsync(path));
        return doc.RootElement.Clone();
    }

    private static AuthenticationHeaderValue Basic(string user) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":")));

    private async Task<HttpResponseMessage> PostAsync(string path, string body, bool gzip = false, string? basicUser = Key)
    {
        HttpContent content;
        if (gzip)
        {
            var buffer = new MemoryStream();
            using (var zip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) zip.Write(Encoding.UTF8.GetBytes(body));
            content = new ByteArrayContent(buffer.ToArray());
            content.Headers.ContentEncoding.Add("gzip");
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        else
        {
            content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (basicUser is not null) request.Headers.Authorization = Basic(basicUser);
        return await _server.Http.SendAsync(request);
    }

    private async Task AssertSuccessAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await _server.JsonAsync(response)).GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task An_anonymous_visitor_identified_later_keeps_their_traits_and_a_page_view_enters_a_journey()
    {
        // RudderStack's shape: no timestamp, originalTimestamp and sentAt, anonymousId before login
        var now = DateTimeOffset.UtcNow.ToString("O");
        await AssertSuccessAsync(await PostAsync("/v1/identify",
            $$"""{"anonymousId":"anon-1","traits":{"email":"ann@example.com","firstName":"Ann"},"originalTimestamp":"{{now}}","sentAt":"{{now}}"}"""));
        await AssertSuccessAsync(await PostAsync("/v1/track", """{"anonymousId":"anon-1","userId":"ann","event":"Login","messageId":"login-1"}"""));
        await AssertSuccessAsync(await PostAsync("/v1/page", """{"userId":"ann","name":"Discounts","category":"Shop","properties":{"path":"/d"}}"""));

        var outbox = await _server.OutboxAsync(atLeast: 1);
        var sent = Assert.Single(outbox, l => l.GetProperty("journey").GetString() == "viewed");
        Assert.Equal("ann@example.com", sent.GetProperty("to").GetString()); // the anonymous profile's trait, merged
        Assert.Equal("Saw Discounts", sent.GetProperty("content").GetProperty("subject").GetString());
        var trace = await TraceAsync("user=ann&journey=viewed");
        Assert.Equal(["entered", "sent", "completed"], trace.Select(r => r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task A_gzipped_batch_with_write_key_in_the_body_is_taken_and_its_bad_calls_are_kept_with_their_reason()
    {
        var body = $$$"""
            {"writeKey":"{{{Key}}}","sentAt":"{{{DateTimeOffset.UtcNow:O}}}","batch":[
              {"type":"identify","userId":"bob","traits":{"email":"bob@example.com"},"messageId":"b-1"},
              {"type":"track","userId":"bob","event":"Go","messageId":"b-2"},
              {"type":"screen","anonymousId":"dev-9","name":"Home"},
              {"type":"group","userId":"bob","groupId":"acme","traits":{"plan":"pro"}},
              {"type":"alias","userId":"bob","previousId":"dev-9"},
              {"type":"bogus","userId":"bob","messageId":"b-bad"},
              {"type":"track","userId":"bob","event":"\ud800","messageId":"b-surrogate"}
            ]}
            """;
        await AssertSuccessAsync(await PostAsync("/v1/batch", body, gzip: true, basicUser: null));

        await _server.OutboxAsync(atLeast: 1);
        var trace = await TraceAsync("user=bob&journey=instant");
        Assert.Contains(trace, r => r.GetProperty("kind").GetString() == "sent");

        var rejected = (await GetJsonAsync("/v1/rejected")).GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal(2, rejected.Count);
        Assert.All(rejected, r => Assert.Equal("/v1/batch", r.GetProperty("source").GetString()));
        Assert.Contains("bogus", rejected[0].GetProperty("reason").GetString());
        Assert.Contains("b-bad", rejected[0].GetProperty("body").GetString());
        Assert.Contains("surrogate", rejected[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_wrong_or_missing_write_key_is_refused_and_x_api_key_is_accepted()
    {
        using (var wrong = await PostAsync("/v1/track", """{"userId":"u","event":"E"}""", basicUser: "nope"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/track") { Content = new StringContent("""{"userId":"u","event":"E"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);
        await AssertSuccessAsync(await _server.Http.SendAsync(request));
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_kept_in_the_rejected_store()
    {
        using var response = await PostAsync("/v1/track", "{not json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var rejected = (await GetJsonAsync("/v1/rejected")).GetProperty("rejected");
        var kept = Assert.Single(rejected.EnumerateArray());
        Assert.Equal("{not json", kept.GetProperty("body").GetString());
        Assert.Equal("/v1/track", kept.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_at_the_decompressed_limit()
    {
        var buffer = new MemoryStream();
        using (var zip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 40; i++) zip.Write(zeros); // 40 MiB of zeros, over the 16 MiB limit
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentEncoding.Add("gzip");
        request.Headers.Authorization = Basic(Key);
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Ndjson_in_any_case_with_charset_and_a_bom_is_read_and_rejections_are_named_by_line_number()
    {
        var body = "\uFEFF" + ServerFixture.Track("nd-1", "cy", "Seen") + "\n\n" + """{"type":"track","userId":"cy","messageId":"nd-2","event":"\ud800","timestamp":"2026-12-01T10:00:00Z"}""" + "\n";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, new UTF8Encoding(false)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("Application/NDJSON; charset=UTF-8");
        request.Headers.Add("X-Api-Key", Key);
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await _server.JsonAsync(response);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        var rejected = Assert.Single(result.GetProperty("rejected").EnumerateArray());
        Assert.Equal(3, rejected.GetProperty("index").GetInt32());
    }

    [Fact]
    public async Task One_event_nested_past_the_limit_in_an_array_rejects_only_that_event()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var body = "[" + ServerFixture.Track("dp-1", "di", "Seen") + ","
            + """{"type":"track","userId":"di","messageId":"dp-2","event":"E","timestamp":"2026-12-01T10:00:00Z","properties":""" + deep + "}]";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);
        using var response = await _server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await _server.JsonAsync(response);
        Assert.Equal(1, result.GetProperty("accepted").GetInt32());
        Assert.Equal(1, Assert.Single(result.GetProperty("rejected").EnumerateArray()).GetProperty("index").GetInt32());
    }
}
