using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Journeys.Functions.Tests.DevHosting;

/// <summary>
/// Built-in tracking on the dev host (the Functions app's send activity and routes on the real Durable worker):
/// the tracked mail in the outbox carries the dev host's own /t/ links; its pixel ends the enrollment's wait.
/// </summary>
[Collection(DevHostCollection.Name)]
public sealed partial class DevHostTrackingTests
{
    private const string Journey = """
        {"id":"tracked","entry":{"event":"Go"},"start":"mail","steps":{
          "mail":{"type":"send","channel":"email","track":true,"content":{"subject":"Hi","body":"<a href=\"https://shop.example/cart\">cart</a>"},"next":"wait"},
          "wait":{"type":"waitFor","event":"Email Opened","timeout":"P2D","onEvent":"opened"},
          "opened":{"type":"update","traits":{"opened":true}}}}
        """;

    [GeneratedRegex("src=\"([^\"]+/t/o/[^\"]+)\"")]
    private static partial Regex Pixel();

    [Fact(Timeout = 240_000)]
    public async Task The_pixel_of_a_tracked_mail_from_the_outbox_takes_the_opened_path()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        var run = DevHostRun.Create(Journey);
        await using var host = await DevHostProcess.StartAsync(run, timeout.Token);
        using (var posted = await host.Http.PostAsync("/v1/events", new StringContent(
            """{"type":"identify","messageId":"i1","userId":"ann","traits":{"email":"ann@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""" + "\n"
            + """{"type":"track","messageId":"g1","userId":"ann","event":"Go","timestamp":"2026-12-01T10:00:01Z"}""" + "\n",
            Encoding.UTF8, "application/x-ndjson"), timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        while (run.OutboxKeys().Count == 0)
        {
            await Task.Delay(200, timeout.Token);
        }
        var line = JsonDocument.Parse(File.ReadAllLines(run.Outbox).First(l => l.Length > 0)).RootElement;
        var pixel = new Uri(WebUtility.HtmlDecode(Pixel().Match(line.GetProperty("content").GetProperty("body").GetString()!).Groups[1].Value));
        Assert.Equal(host.Url.Authority, pixel.Authority);

        using (var forged = await host.Http.GetAsync(pixel.AbsolutePath + "x", timeout.Token))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }
        using (var gif = await host.Http.GetAsync(pixel.PathAndQuery, timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, gif.StatusCode);
            Assert.Equal("image/gif", gif.Content.Headers.ContentType?.MediaType);
        }
        string trace;
        do
        {
            await Task.Delay(200, timeout.Token);
            trace = await host.Http.GetStringAsync("/v1/trace?user=ann", timeout.Token);
        }
        while (!trace.Contains("\"completed\"", StringComparison.Ordinal));
        var path = trace.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(r => r.GetProperty("kind").GetString() == "path");
        Assert.Equal(("wait", "event"), (path.GetProperty("step").GetString(), path.GetProperty("path").GetString()));
    }
}
