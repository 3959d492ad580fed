using System.Net;
using System.Text.RegularExpressions;
using Journeys.Hosting.Tracking;
using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Tracking;

/// <summary>Built-in tracking in a real <c>serve</c> over HTTP on 127.0.0.1: the outbox's tracked mail, its pixel and its links.</summary>
public sealed partial class ServeTrackingTests
{
    private const string Journey = """
        {"id":"tracked","entry":{"event":"Go"},"start":"mail","steps":{
          "mail":{"type":"send","channel":"email","track":true,
                  "content":{"subject":"Hi","body":"<html><body><a href=\"https://shop.example/cart?id=7&amp;c=1\">your cart</a></body></html>"},"next":"wait"},
          "wait":{"type":"waitFor","event":"Email Opened","timeout":"P2D","onEvent":"opened","onTimeout":"late"},
          "opened":{"type":"update","traits":{"opened":true}},
          "late":{"type":"send","channel":"sms","content":{"text":"did you see it?"}}}}
        """;

    [GeneratedRegex("href=\"([^\"]+/t/c/[^\"]+)\"")]
    private static partial Regex ClickLink();

    [GeneratedRegex("src=\"([^\"]+/t/o/[^\"]+)\"")]
    private static partial Regex Pixel();

    [Fact]
    public async Task Opening_the_mail_takes_the_opened_path_once_and_a_click_redirects_only_to_the_url_in_the_message()
    {
        var serve = await ServerFixture.StartAsync(journeys: [TestJourneys.File("tracked", Journey)]);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = serve.Http.BaseAddress };
        string click, pixel;
        try
        {
            await serve.PostEventsAsync($"[{ServerFixture.Identify("i-1", "u-1", new { email = "beth@example.com" })},{ServerFixture.Track("g-1", "u-1", "Go")}]");
            var line = Assert.Single(await serve.OutboxAsync(atLeast: 1));
            var body = line.GetProperty("content").GetProperty("body").GetString()!;
            Assert.DoesNotContain("href=\"https://shop.example", body, StringComparison.Ordinal);
            click = WebUtility.HtmlDecode(ClickLink().Match(body).Groups[1].Value);
            pixel = WebUtility.HtmlDecode(Pixel().Match(body).Groups[1].Value);
            Assert.StartsWith(serve.Http.BaseAddress!.ToString().TrimEnd('/') + "/t/c/", click, StringComparison.Ordinal);

            // the click: to the message's URL; with any other target, or a forged token, nothing
            using (var redirect = await http.GetAsync(click))
            {
                Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
                Assert.Equal("https://shop.example/cart?id=7&c=1", redirect.Headers.Location!.OriginalString);
            }
            var token = new Uri(click).AbsolutePath["/t/c/".Length..];
            foreach (var bad in new[]
            {
                $"/t/c/{token}?u={Uri.EscapeDataString("https://evil.example/")}",
                $"/t/c/{token}",
                $"/t/c/{token[..^2]}xy?u={Uri.EscapeDataString("https://shop.example/cart?id=7&c=1")}",
                $"/t/o/{token}",
                "/t/o/forged.token",
            })
            {
                using var refused = await http.GetAsync(bad);
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                Assert.Contains("\"error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Null(refused.Headers.Location);
            }
            Assert.DoesNotContain(await serve.TraceAsync("user=u-1"), r => r.GetProperty("kind").GetString() == "path");

            // the open: a GIF, and the enrollment takes the event path
            using (var gif = await http.GetAsync(pixel))
            {
                Assert.Equal(HttpStatusCode.OK, gif.StatusCode);
                Assert.Equal("image/gif", gif.Content.Headers.ContentType!.MediaType);
                Assert.Equal(TrackingEndpoints.Pixel, await gif.Content.ReadAsByteArrayAsync());
            }
            var trace = await serve.TraceAsync("user=u-1");
            var path = Assert.Single(trace, r => r.GetProperty("kind").GetString() == "path");
            Assert.Equal(("wait", "event"), (path.GetProperty("step").GetString(), path.GetProperty("path").GetString()));
            Assert.Equal("completed", trace[^1].GetProperty("kind").GetString());

            // a second open changes nothing (the hit's event id is the same: a duplicate)
            using (var again = await http.GetAsync(pixel))
            {
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            }
            Assert.Equal(trace.Count, (await serve.TraceAsync("user=u-1")).Count);
        }
        finally
        {
            await serve.DisposeAsync();
        }

        // the generated secret is the owner's only, and a restart keeps the links working
        var key = Path.Combine(serve.Server.Options.DataFolder, TrackingSecretFile.FileName);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
        var restarted = await ServerFixture.StartAsync(folder: serve.Folder, journeys: [TestJourneys.File("tracked", Journey)]);
        try
        {
            using var http2 = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = restarted.Http.BaseAddress };
            using var redirect = await http2.GetAsync(new Uri(click).PathAndQuery);
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        }
        finally
        {
            await restarted.DisposeAsync();
            restarted.DeleteFolder();
        }
    }
}
