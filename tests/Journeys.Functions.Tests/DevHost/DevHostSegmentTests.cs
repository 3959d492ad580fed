using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Journeys.Functions.Tests.DevHosting;

/// <summary>
/// The dev host's front door is serve's (the shared intake): the Segment HTTP Tracking API with write-key auth, gzip,
/// page calls as events and <c>200 {"success":true}</c>; a call it cannot take kept in the dead-letter table behind
/// <c>GET /v1/rejected</c>; an anonymous visitor's profile merged into the user's at identify; serve's
/// <c>/v1/events</c> forms (NDJSON by any of its media types, a BOM, line numbers); 404 and 405 as JSON.
/// </summary>
[Collection(DevHostCollection.Name)]
public sealed class DevHostSegmentTests
{
    private const string WriteKey = "wk-devhost-test";

    /// <summary>Enters only a user who viewed the pricing page and is on the pro plan: both known from before they signed in.</summary>
    private const string Journey = """
        {"id":"welcome","name":"Welcome","entry":{"event":"Signed Up","where":{"all":[
            {"performed":"Page Viewed","where":{"property":"name","eq":"Pricing"},"within":"P1D"},{"trait":"plan","eq":"pro"}]}},
         "start":"hello","steps":{"hello":{"type":"send","channel":"email","content":{"subject":"Welcome {{profile.firstName}}","body":"<p>hi</p>"}}}}
        """;

    [Fact(Timeout = 240_000)]
    public async Task Segment_calls_go_in_as_on_serve_rejected_ones_are_listed_and_an_anonymous_profile_merges_at_identify()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        var run = DevHostRun.Create(Journey, WriteKey);
        await using var host = await DevHostProcess.StartAsync(run, timeout.Token);
        using var sdk = new HttpClient { BaseAddress = host.Url }; // an SDK: the write key as the Basic user name, no X-Api-Key
        sdk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(WriteKey + ":")));

        // a visitor views the pricing page (no type, timestamp or messageId: the route and the receive time say them)
        await SuccessAsync(sdk, "v1/page", """{"anonymousId":"a-1","name":"Pricing"}""", timeout.Token);
        // and tells their plan, gzipped, the write key in the body (no header at all)
        using (var anonymous = new HttpClient { BaseAddress = host.Url })
        {
            await SuccessAsync(anonymous, "v1/identify", """{"writeKey":"WK","anonymousId":"a-1","traits":{"plan":"pro"}}""".Replace("WK", WriteKey, StringComparison.Ordinal), timeout.Token, gzip: true);
            using var wrong = await anonymous.PostAsync("v1/track", Json("""{"writeKey":"nope","userId":"x","event":"E"}"""), timeout.Token);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // signing in merges the visitor into ann; bob signs up with no such past; the last call of the batch is bad
        await SuccessAsync(sdk, "v1/batch", """
            {"batch":[
              {"type":"identify","userId":"ann","anonymousId":"a-1","traits":{"firstName":"Ann","email":"ann@example.com"}},
              {"type":"track","userId":"ann","event":"Signed Up"},
              {"type":"identify","userId":"bob","traits":{"firstName":"Bob","email":"bob@example.com","plan":"pro"}},
              {"type":"track","userId":"bob","event":"Signed Up"},
              {"type":"track","userId":"x","properties":{"bad":true}}]}
            """, timeout.Token);

        await host.WaitForAsync(() => Task.FromResult(run.OutboxLines().Count), 1, timeout.Token);
        var sent = JsonDocument.Parse(Assert.Single(run.OutboxLines())).RootElement;
        Assert.Equal(("ann", "ann@example.com"), (sent.GetProperty("user").GetString(), sent.GetProperty("to").GetString()));
        Assert.Contains("Welcome Ann", sent.GetProperty("content").GetRawText(), StringComparison.Ordinal);
        Assert.Empty(await host.TraceAsync("user=bob", timeout.Token)); // no pricing page in bob's past: no entry

        var rejected = await GetJsonAsync(host.Http, "v1/rejected", timeout.Token);
        var kept = Assert.Single(rejected.GetProperty("rejected").EnumerateArray());
        Assert.Equal("/v1/batch", kept.GetProperty("source").GetString());
        Assert.StartsWith("batch[4]: ", kept.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"bad\":true", kept.GetProperty("body").GetString(), StringComparison.Ordinal);

        // /v1/events as serve takes it: NDJSON by another media type, with a BOM; a bad line named by its line number
        using var ndjson = new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"type\":\"track\",\"userId\":\"cat\",\"event\":\"E\"}\n\n{\"type\":\"track\",\"userId\":\"cat\"}\n")]);
        ndjson.Headers.ContentType = MediaTypeHeaderValue.Parse("Application/NDJSON; charset=utf-8");
        using var events = await host.Http.PostAsync("v1/events", ndjson, timeout.Token);
        var answer = JsonDocument.Parse(await events.Content.ReadAsStringAsync(timeout.Token)).RootElement;
        Assert.Equal(HttpStatusCode.Accepted, events.StatusCode);
        Assert.Equal(1, answer.GetProperty("accepted").GetInt32());
        Assert.Equal(3, Assert.Single(answer.GetProperty("rejected").EnumerateArray()).GetProperty("index").GetInt32());

        // routing's own answers are JSON like every other error
        foreach (var (method, path, status) in new[] { (HttpMethod.Get, "v1/nowhere", HttpStatusCode.NotFound), (HttpMethod.Get, "v1/batch", HttpStatusCode.MethodNotAllowed) })
        {
            using var response = await host.Http.SendAsync(new HttpRequestMessage(method, path), timeout.Token);
            Assert.Equal(status, response.StatusCode);
            Assert.True(JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement.TryGetProperty("error", out _));
        }
    }

    private static async Task SuccessAsync(HttpClient client, string route, string json, CancellationToken cancellation, bool gzip = false)
    {
        using var response = await client.PostAsync(route, gzip ? Gzip(json) : Json(json), cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode} {body}");
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("success").GetBoolean());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string route, CancellationToken cancellation)
    {
        using var response = await client.GetAsync(route, cancellation);
        var body = await response.Content.ReadAsStringAsync(cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{route}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static ByteArrayContent Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }
        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }
}
