using System.Globalization;
using System.Text.Json;
using Journeys.Local.Tests.Server;
using Journeys.Local.Tests.Stats;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Journeys.Local.Tests.Dashboard;

/// <summary>
/// The journey graph and experiment readout of the dashboard (DESIGN §10) in real chromium, checked against the
/// stats API: a node per step, the counts on nodes and edges, the readout's interval and winner, one user's path.
/// Screenshots at desktop and phone width go to the test artifacts folder (<see cref="Artifacts"/>).
/// </summary>
public sealed class GraphDashboardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const float Timeout = 10_000;

    /// <summary>JOURNEYS_TEST_ARTIFACTS, else an <c>artifacts</c> folder beside the test binaries.</summary>
    public static string Artifacts { get; } = Environment.GetEnvironmentVariable("JOURNEYS_TEST_ARTIFACTS") is { Length: > 0 } dir
        ? dir : Path.Combine(AppContext.BaseDirectory, "artifacts");

    private ServerFixture _server = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private List<string> _emailed = [];

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(Timeout);
        _server = await ServerFixture.StartAsync(journeys: [("exp.journey.json", ExperimentStatsTests.Journey)]);
        var users = Enumerable.Range(0, 30).Select(i => $"u{i}").ToList();
        await PostAsync(users.SelectMany(u => new[] { ServerFixture.Identify($"i-{u}", u, new { email = $"{u}@example.com" }), ServerFixture.Track($"g-{u}", u, "Go") }));
        var paths = (await _server.TraceAsync("journey=exp")).Where(r => r.GetProperty("kind").GetString() == "path")
            .ToDictionary(r => r.GetProperty("user").GetString()!, r => r.GetProperty("path").GetString()!);
        _emailed = users.Where(u => paths[u] == "email").ToList();
        var control = users.Where(u => paths[u] == "control").ToList();
        await PostAsync(_emailed.Append(control[0]).Select(u => ServerFixture.Track($"p-{u}", u, "Purchase")));
        Directory.CreateDirectory(Artifacts);
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.Server.Addresses[0], ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        _context.SetDefaultTimeout(Timeout);
        _page = await _context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    private async Task PostAsync(IEnumerable<string> events)
    {
        using var response = await _server.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task OpenGraphAsync()
    {
        await _page.GotoAsync("/");
        await _page.Locator("#journeys tbody tr[data-journey='exp'] button[data-action='graph']").ClickAsync();
        await Expect(_page.Locator("#graph-title")).ToHaveTextAsync("Graph of exp (version 1)");
    }

    /// <summary>The percentages a cell shows ("6.3%", "1.2% – 20.0%"), as fractions.</summary>
    private static double[] Percents(string text) =>
        [.. System.Text.RegularExpressions.Regex.Matches(text, @"(\d+(?:\.\d+)?)%").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 100)];

    /// <summary>Asserts a cell shows these fractions to the page's one decimal of a percent.</summary>
    private static async Task AssertPercentsAsync(ILocator cell, params double[] expected)
    {
        await Expect(cell).ToContainTextAsync("%");
        var shown = Percents((await cell.TextContentAsync())!);
        Assert.Equal(expected.Length, shown.Length);
        for (var i = 0; i < shown.Length; i++)
        {
            Assert.InRange(shown[i], expected[i] - 0.0005 - 1e-9, expected[i] + 0.0005 + 1e-9);
        }
    }

    [Fact]
    public async Task The_graph_has_a_node_per_step_with_the_counts_of_the_stats_api_on_nodes_and_edges()
    {
        await OpenGraphAsync();
        var definition = (await _server.GetJsonAsync("/v1/journeys/exp")).GetProperty("definition");
        var stats = await _server.GetJsonAsync("/v1/journeys/exp/stats");
        var steps = definition.GetProperty("steps").EnumerateObject().Select(p => p.Name).ToList();
        await Expect(_page.Locator("#graph g.node")).ToHaveCountAsync(steps.Count + 2); // and the entry and the end (the control path and the wait have no next)
        await Expect(_page.Locator("#graph g.node[data-step='(entry)']")).ToHaveAttributeAsync("data-count", stats.GetProperty("entered").GetInt64().ToString(CultureInfo.InvariantCulture));
        var completed = stats.GetProperty("completed").GetInt64();
        Assert.True(completed > 0); // the control users completed at once
        await Expect(_page.Locator("#graph g.node[data-step='(end)']")).ToHaveAttributeAsync("data-count", completed.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(completed, stats.GetProperty("edges").EnumerateArray().Where(e => e.GetProperty("to").GetString() == "(end)").Sum(e => e.GetProperty("taken").GetInt64()));
        foreach (var step in steps)
        {
            var reached = stats.GetProperty("steps").TryGetProperty(step, out var n) ? n.GetInt64() : 0;
            var node = _page.Locator($"#graph g.node[data-step='{step}']");
            await Expect(node).ToHaveAttributeAsync("data-count", reached.ToString(CultureInfo.InvariantCulture));
            await Expect(node.Locator("text.node-count")).ToHaveTextAsync(reached.ToString("N0", CultureInfo.InvariantCulture));
        }
        foreach (var edge in stats.GetProperty("edges").EnumerateArray())
        {
            var drawn = _page.Locator($"#graph g.edge[data-from='{edge.GetProperty("from").GetString()}'][data-to='{edge.GetProperty("to").GetString()}']");
            await Expect(drawn).ToHaveAttributeAsync("data-count", edge.GetProperty("taken").GetInt64().ToString(CultureInfo.InvariantCulture));
        }
        Assert.Equal(_emailed.Count, stats.GetProperty("edges").EnumerateArray().Single(e => e.GetProperty("to").GetString() == "mail").GetProperty("taken").GetInt64());
        // the boxes do not overlap: the layout library placed them
        var boxes = new List<(float X, float Y, float W, float H)>();
        foreach (var node in await _page.Locator("#graph g.node rect").AllAsync())
        {
            var box = (await node.BoundingBoxAsync())!;
            boxes.Add((box.X, box.Y, box.Width, box.Height));
        }
        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                Assert.False(a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H, $"nodes {i} and {j} overlap");
            }
        }
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-graph-1400x900.png"), FullPage = true });
    }

    [Fact]
    public async Task The_readout_shows_each_path_with_its_interval_and_then_the_winner()
    {
        await OpenGraphAsync();
        var readout = (await _server.GetJsonAsync("/v1/journeys/exp/stats")).GetProperty("experiments").GetProperty("ab");
        foreach (var path in readout.GetProperty("paths").EnumerateArray())
        {
            var row = _page.Locator($"table.readout[data-step='ab'] tr[data-path='{path.GetProperty("name").GetString()}']");
            var interval = path.GetProperty("interval");
            await AssertPercentsAsync(row.Locator("td[data-column='interval']"), interval.GetProperty("low").GetDouble(), interval.GetProperty("high").GetDouble());
            await Expect(row.Locator("td[data-column='interval']")).ToContainTextAsync(" – ");
            await Expect(row.Locator("td[data-column='entered']")).ToHaveTextAsync(path.GetProperty("entered").GetInt64().ToString(CultureInfo.InvariantCulture));
            await AssertPercentsAsync(row.Locator("td[data-column='rate']"), path.GetProperty("rate").GetDouble());
        }
        await Expect(_page.Locator("table.readout tr[data-path='email'] td[data-column='significant']")).ToHaveTextAsync("yes");
        await Expect(_page.Locator("table.readout tr.winner")).ToHaveCountAsync(0);

        // after `after`, the next user's entry chooses the winner; the readout shows it
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        await PostAsync([ServerFixture.Identify("i-late", "late", new { email = "late@example.com" }), ServerFixture.Track("g-late", "late", "Go")]);
        await OpenGraphAsync();
        await Expect(_page.Locator("table.readout tr.winner")).ToHaveAttributeAsync("data-path", "email");
        await Expect(_page.Locator("table.readout tr.winner td[data-column='path']")).ToContainTextAsync("winner");
        await Expect(_page.Locator("#readouts h4")).ToContainTextAsync("winner: email");
        await _page.Locator("#readouts").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-readout-winner.png") });
    }

    [Fact]
    public async Task One_users_path_is_highlighted_from_the_trace_and_the_page_reads_at_phone_width()
    {
        await OpenGraphAsync();
        var user = _emailed[0];
        await _page.Locator("#path-user").FillAsync(user);
        await _page.Locator("#highlight").ClickAsync();
        await Expect(_page.Locator("#path-note")).ToContainTextAsync(user);
        var trace = await _server.TraceAsync($"user={user}&journey=exp");
        var named = trace.Where(r => r.TryGetProperty("step", out _)).Select(r => r.GetProperty("step").GetString()!).Distinct().Append("(entry)").ToHashSet();
        await Expect(_page.Locator("#graph g.node.lit")).ToHaveCountAsync(named.Count);
        foreach (var step in named)
        {
            await Expect(_page.Locator($"#graph g.node.lit[data-step='{step}']")).ToHaveCountAsync(1);
        }
        await Expect(_page.Locator("#graph g.edge.lit[data-from='ab'][data-to='mail']")).ToHaveCountAsync(1);
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-user-path-1400x900.png"), FullPage = true });

        await _page.SetViewportSizeAsync(390, 844);
        var width = await _page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width} px wide at a phone's 390");
        await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "dashboard-phone-390.png"), FullPage = true });
    }
}
