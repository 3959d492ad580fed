using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Journeys.Functions.Api;
using Journeys.Functions.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// Engagement on the Azure runtime, on the real Durable engine: the send activity tracks the e-mail; its open
/// pixel, through the Functions app's tracking route, and an ACS click report, through the Event Grid route, each
/// end the enrollment's wait on the path they match — once.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed partial class EngagementTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const string Journey = """
        {"id":"tracked","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"mail","steps":{
          "mail":{"type":"send","channel":"email","track":true,"content":{"subject":"Hi","body":"<a href=\"https://shop.example/cart\">cart</a>"},"next":"wait"},
          "wait":{"type":"waitFor","timeout":"P2D","onTimeout":"late","events":[
            {"name":"opened","event":"Email Opened","next":"done"},{"name":"clicked","event":"Email Link Clicked","next":"done"}]},
          "done":{"type":"update","traits":{"engaged":true}},
          "late":{"type":"update","traits":{"engaged":false}}}}
        """;

    [GeneratedRegex("/t/o/([^\"]+)\"")]
    private static partial Regex PixelToken();

    private static async Task<int> ExecuteAsync(Task<IResult> result)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();
        await (await result).ExecuteAsync(context);
        return context.Response.StatusCode;
    }

    private static HttpRequest Request(string? body = null, string? query = null)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = body is null ? "GET" : "POST";
        context.Request.QueryString = query is null ? QueryString.Empty : new QueryString(query);
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        return context.Request;
    }

    private static string Path(IReadOnlyList<string> trace) =>
        Assert.Single(trace.Select(l => JsonDocument.Parse(l).RootElement), r => r.GetProperty("kind").GetString() == "path").GetProperty("path").GetString()!;

    [Fact]
    public async Task The_open_pixel_of_a_tracked_mail_takes_the_opened_path_once()
    {
        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, [("tracked.journey.json", Journey)]);
        await host.IngestAsync(
            """{"type":"identify","messageId":"i1","userId":"ann","traits":{"email":"ann@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""",
            """{"type":"track","messageId":"g1","userId":"ann","event":"Go","timestamp":"2026-12-01T10:00:01Z"}""");
        await RealEngineHost.WaitUntilAsync(() => host.Delivery.Delivered.Count == 1, Limit, "the tracked mail");
        var body = Assert.Single(host.Delivery.Delivered).Content["body"];
        Assert.Contains("https://journeys.test/api/t/c/", body, StringComparison.Ordinal);
        var token = WebUtility.HtmlDecode(PixelToken().Match(body).Groups[1].Value);
        var api = new TrackingApi(host.Tracking, host.Ingestion, host.Clock);

        Assert.Equal(404, await ExecuteAsync(api.Open(Request(), host.Client, token[..^3] + "AAA")));
        Assert.Equal(200, await ExecuteAsync(api.Open(Request(), host.Client, token)));
        var done = await host.WaitForCompletionAsync("tracked:ann:1", Limit);
        Assert.Equal("Completed", done.ReadOutputAs<string>());
        Assert.Equal("opened", Path(host.TraceLines("ann")));

        // the second hit is a duplicate: no new enrollment input, no new record
        var records = host.TraceLines("ann").Count;
        Assert.Equal(200, await ExecuteAsync(api.Open(Request(), host.Client, token)));
        Assert.Equal(records, host.TraceLines("ann").Count);
    }

    [Fact]
    public async Task An_acs_click_report_through_event_grid_takes_the_clicked_path()
    {
        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, [("tracked.journey.json", Journey)]);
        await host.IngestAsync(
            """{"type":"identify","messageId":"i1","userId":"bob","traits":{"email":"bob@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""",
            """{"type":"track","messageId":"g1","userId":"bob","event":"Go","timestamp":"2026-12-01T10:00:01Z"}""");
        await RealEngineHost.WaitUntilAsync(() => host.Delivery.Delivered.Count == 1, Limit, "the mail");
        var map = new AcsMessageMap(host.Azurite.Tables);
        var sent = Assert.Single(host.Delivery.Delivered);
        map.Record(sent); // what the ACS channel writes before it sends
        var api = new AcsEventsApi(map, host.Ingestion, host.Clock, NullLogger<AcsEventsApi>.Instance);
        var report = JsonSerializer.Serialize(new[]
        {
            new
            {
                id = "eg-1", eventType = AcsReports.EmailEngagement, eventTime = "2026-12-01T10:05:00Z", dataVersion = "1.0",
                data = new { messageId = AcsChannels.OperationId(sent.IdempotencyKey).ToString(), engagementType = "click", engagementContext = "https://shop.example/cart", userActionTimestamp = "2026-12-01T10:05:00Z" },
            },
        });

        Assert.Equal(200, await ExecuteAsync(api.Receive(Request(report), host.Client)));
        var done = await host.WaitForCompletionAsync("tracked:bob:1", Limit);
        Assert.Equal("Completed", done.ReadOutputAs<string>());
        Assert.Equal("clicked", Path(host.TraceLines("bob")));
    }
}
