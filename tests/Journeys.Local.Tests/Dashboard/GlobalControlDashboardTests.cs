using System.Globalization;
using Journeys.Core.Engine;
using Journeys.Local.Tests.Server;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Journeys.Local.Tests.Dashboard;

/// <summary>The global control group's readout on the dashboard, in real chromium, with the numbers of the stats API.</summary>
public sealed class GlobalControlDashboardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private const string Journey = """
        {"id":"hello","entry":{"event":"Go"},"goal":{"event":"Purchase","exit":false},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"}}}}
        """;

    [Fact]
    public async Task The_graph_view_shows_held_out_and_messaged_users_as_the_stats_count_them()
    {
        SetDefaultExpectTimeout(10_000);
        var folder = Directory.CreateTempSubdirectory("journeys-gc-dashboard-").FullName;
        var settings = Path.Combine(folder, "settings.json");
        File.WriteAllText(settings, """{"globalControl":{"percent":30}}""");
        await using var server = await ServerFixture.StartAsync(folder, journeys: [("hello.journey.json", Journey)], configure: o => o.Settings = settings);
        try
        {
            var control = new GlobalControl(30);
            var users = Enumerable.Range(0, 30).Select(i => $"u{i}").ToList();
            var events = users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") })
                .Concat(users.Where(u => !control.Holds(u)).Take(10).Select(u => ServerFixture.Track($"p-{u}", u, "Purchase")));
            using (var response = await server.PostEventsAsync("[" + string.Join(",", events) + "]"))
            {
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            }
            var readout = (await server.GetJsonAsync("/v1/journeys/hello/stats")).GetProperty("globalControl");

            await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.Server.Addresses[0], ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await page.Locator("#journeys tbody tr[data-journey='hello'] button[data-action='graph']").ClickAsync();
            await Expect(page.Locator("#readouts h4")).ToContainTextAsync("Global control group");
            foreach (var path in readout.GetProperty("paths").EnumerateArray())
            {
                var row = page.Locator($"table.readout[data-step='global-control'] tr[data-path='{path.GetProperty("name").GetString()}']");
                await Expect(row.Locator("td[data-column='entered']")).ToHaveTextAsync(path.GetProperty("entered").GetInt64().ToString(CultureInfo.InvariantCulture));
                await Expect(row.Locator("td[data-column='converted']")).ToHaveTextAsync(path.GetProperty("converted").GetInt64().ToString(CultureInfo.InvariantCulture));
            }
            await Expect(page.Locator("table.readout[data-step='global-control'] tr[data-path='held-out'] td[data-column='path']")).ToHaveTextAsync("held-out (control)");
            await Expect(page.Locator("table.readout[data-step='global-control'] tr[data-path='held-out'] td[data-column='entered']"))
                .ToHaveTextAsync(users.Count(control.Holds).ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(GraphDashboardTests.Artifacts);
            await page.Locator("#readouts").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(GraphDashboardTests.Artifacts, "dashboard-global-control.png") });
        }
        finally
        {
            server.DeleteFolder();
        }
    }
}
