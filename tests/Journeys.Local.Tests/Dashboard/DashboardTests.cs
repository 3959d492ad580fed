using System.Text;
using System.Text.Json;
using Journeys.Local.Tests.Server;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Journeys.Local.Tests.Dashboard;

/// <summary>
/// One headless Debian chromium for the dashboard tests, driven by Playwright's bundled node driver.
/// No browser is downloaded: a missing /usr/bin/chromium is installed from Debian when the tests may
/// (<see cref="ChromiumInstall"/>), else every test fails with the command to run.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string DefaultPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var path = Environment.GetEnvironmentVariable("JOURNEYS_CHROMIUM") is { Length: > 0 } p ? p : DefaultPath;
        if (path == DefaultPath)
        {
            ChromiumInstall.EnsureInstalled(path);
        }
        else if (!File.Exists(path))
        {
            throw new InvalidOperationException($"JOURNEYS_CHROMIUM names {path}, and there is no such file");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // a closed network: no background connections, no QUIC, nothing looked up at start
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }
}

/// <summary>The dashboard at <c>/</c> in a real browser against a real in-process server.</summary>
public sealed class DashboardTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const float Timeout = 10_000; // a shared 2-core machine; a passing wait takes milliseconds

    private ServerFixture _server = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;

    public async Task InitializeAsync()
    {
        SetDefaultExpectTimeout(Timeout);
        _server = await ServerFixture.StartAsync(journeys:
        [
            TestJourneys.File("instant", TestJourneys.Instant),
            TestJourneys.File("waits", TestJourneys.Waits),
        ]);
        // ann has an address and gets the email; bob has none, so his is suppressed; both wait a day in 'waits'
        await PostAsync(
            ServerFixture.Identify("i-ann", "ann", new { email = "ann@example.com", firstName = "Ann" }),
            ServerFixture.Track("g-ann", "ann", "Go"),
            ServerFixture.Track("g-bob", "bob", "Go"));
        await WaitForStatsAsync("instant", s => s.GetProperty("completed").GetInt64() == 2);
        await WaitForStatsAsync("waits", s => s.GetProperty("active").GetInt64() == 2);
        await NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_context is not null) await _context.CloseAsync();
        await _server.DisposeAsync();
        _server.DeleteFolder();
    }

    private async Task NewPageAsync(ServerFixture? server = null)
    {
        if (_context is not null) await _context.CloseAsync();
        _context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = (server ?? _server).Server.Addresses[0] });
        _context.SetDefaultTimeout(Timeout);
        _page = await _context.NewPageAsync();
    }

    private async Task PostAsync(params string[] events)
    {
        using var response = await _server.PostEventsAsync("[" + string.Join(",", events) + "]");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private async Task<JsonElement> WaitForStatsAsync(string id, Func<JsonElement, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var stats = await _server.GetJsonAsync($"/v1/journeys/{id}/stats");
            if (done(stats)) return stats;
            Assert.True(DateTime.UtcNow < until, $"{id}'s stats never got there: {stats}");
            await Task.Delay(20);
        }
    }

    private async Task<string> ServerStatusAsync(string id) => (await _server.GetJsonAsync($"/v1/journeys/{id}")).GetProperty("status").GetString()!;

    private ILocator Row(string id) => _page.Locator($"#journeys tbody tr[data-journey='{id}']");

    private ILocator Cell(string id, string column) => Row(id).Locator($"td[data-column='{column}']");

    private ILocator Action(string id, string action) => Row(id).Locator($"button[data-action='{action}']");

    [Fact]
    public async Task The_journeys_table_lists_each_journey_with_its_version_status_and_the_counts_of_its_stats()
    {
        // a second version of 'instant', so the version column has something to show
        var v2 = TestJourneys.Instant.Replace("\"body\":\"Hello\"", "\"body\":\"Hello again\"", StringComparison.Ordinal);
        using (var put = await _server.Http.PutAsync("/v1/journeys/instant", new StringContent(v2, Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        await _page.GotoAsync("/");
        await Expect(_page.Locator("#journeys tbody tr")).ToHaveCountAsync(2);
        foreach (var id in new[] { "instant", "waits" })
        {
            var stats = await _server.GetJsonAsync($"/v1/journeys/{id}/stats");
            var sent = stats.GetProperty("channels").EnumerateObject().Sum(c => c.Value.GetProperty("sent").GetInt64());
            await Expect(Cell(id, "journey")).ToContainTextAsync(id);
            await Expect(Cell(id, "version")).ToHaveTextAsync(stats.GetProperty("version").GetInt32().ToString());
            await Expect(Cell(id, "status")).ToHaveTextAsync(stats.GetProperty("status").GetString()!);
            foreach (var column in new[] { "entered", "active", "completed", "converted" })
            {
                await Expect(Cell(id, column)).ToHaveTextAsync(stats.GetProperty(column).GetInt64().ToString());
            }
            await Expect(Cell(id, "sent")).ToHaveTextAsync(sent.ToString());
        }
        // what those numbers are, so a wrong column cannot agree by accident
        await Expect(Cell("instant", "version")).ToHaveTextAsync("2");
        await Expect(Cell("instant", "entered")).ToHaveTextAsync("2");
        await Expect(Cell("instant", "completed")).ToHaveTextAsync("2");
        await Expect(Cell("instant", "sent")).ToHaveTextAsync("1");
        await Expect(Cell("waits", "active")).ToHaveTextAsync("2");
        await Expect(_page.Locator("#error")).ToBeEmptyAsync();
    }

    [Fact]
    public async Task Pause_and_resume_change_the_status_cell_and_the_server_agrees()
    {
        await _page.GotoAsync("/");
        await Expect(Cell("instant", "status")).ToHaveTextAsync("active");

        await Action("instant", "pause").ClickAsync();
        await Expect(Cell("instant", "status")).ToHaveTextAsync("paused");
        Assert.Equal("paused", await ServerStatusAsync("instant"));
        await Expect(Cell("waits", "status")).ToHaveTextAsync("active");
        Assert.Equal("active", await ServerStatusAsync("waits"));

        await Action("instant", "resume").ClickAsync();
        await Expect(Cell("instant", "status")).ToHaveTextAsync("active");
        Assert.Equal("active", await ServerStatusAsync("instant"));
        await Expect(_page.Locator("#journeys tbody tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Stop_asks_first_does_nothing_when_refused_and_exits_everyone_when_confirmed()
    {
        var dialogs = new List<string>();
        var stopRequests = 0;
        var accept = false;
        var refused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _page.Dialog += async (_, dialog) =>
        {
            lock (dialogs) dialogs.Add(dialog.Type + ": " + dialog.Message);
            if (Volatile.Read(ref accept))
            {
                await dialog.AcceptAsync();
                return;
            }
            await dialog.DismissAsync();
            refused.TrySetResult();
        };
        _page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/v1/journeys/waits/stop", StringComparison.Ordinal)) Interlocked.Increment(ref stopRequests);
        };
        await _page.GotoAsync("/");
        await Expect(Cell("waits", "active")).ToHaveTextAsync("2");

        await Action("waits", "stop").ClickAsync();
        await refused.Task.WaitAsync(TimeSpan.FromMilliseconds(Timeout));
        Volatile.Write(ref accept, true);
        await Action("waits", "stop").ClickAsync();
        await Expect(Cell("waits", "status")).ToHaveTextAsync("stopped");
        await Expect(Cell("waits", "active")).ToHaveTextAsync("0");

        Assert.Equal(["confirm: Stop waits? Everyone in it exits.", "confirm: Stop waits? Everyone in it exits."], dialogs);
        Assert.Equal(1, stopRequests); // the refused one sent nothing
        Assert.Equal("stopped", await ServerStatusAsync("waits"));
        var exits = await _server.TraceAsync("journey=waits");
        Assert.Equal(2, exits.Count(r => r.GetProperty("kind").GetString() == "exited" && r.GetProperty("reason").GetString() == "stopped"));
        Assert.Equal("active", await ServerStatusAsync("instant"));
    }

    [Fact]
    public async Task Calls_the_sdk_routes_could_not_take_are_listed_with_their_route_and_reason()
    {
        using (var response = await _server.Http.PostAsync("/v1/batch", new StringContent(
            """{"batch":[{"type":"bogus","userId":"u","messageId":"rj-1"},{"type":"track","userId":"u","event":"Go"}]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
        await _page.GotoAsync("/");
        var row = _page.Locator("#rejected tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td[data-column='source']")).ToHaveTextAsync("/v1/batch");
        await Expect(row.Locator("td[data-column='reason']")).ToContainTextAsync("bogus");
        await Expect(row.Locator("td[data-column='body']")).ToContainTextAsync("rj-1");
    }

    [Fact]
    public async Task Clicking_a_journeys_name_shows_that_journeys_trace()
    {
        await _page.GotoAsync("/");
        foreach (var id in new[] { "instant", "waits" })
        {
            var expected = (await _server.TraceAsync($"journey={id}")).Select(r => r.GetRawText()).ToList();
            Assert.NotEmpty(expected);
            await Cell(id, "journey").GetByRole(AriaRole.Button).ClickAsync();
            await Expect(_page.Locator("#journey")).ToHaveValueAsync(id);
            await Expect(_page.Locator("#view-title")).ToHaveTextAsync($"Trace of {id}");
            await Expect(_page.Locator("#trace")).ToContainTextAsync($"\"journey\":\"{id}\"");
            var shown = (await _page.Locator("#trace").TextContentAsync())!.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(shown, line => Assert.Equal(id, JsonDocument.Parse(line).RootElement.GetProperty("journey").GetString()));
            Assert.Equal(expected, shown.Select(l => JsonDocument.Parse(l).RootElement.GetRawText()));
        }
        // the last click replaced the first journey's lines
        Assert.DoesNotContain("\"journey\":\"instant\"", (await _page.Locator("#trace").TextContentAsync())!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_journeys_stats_button_shows_everything_its_stats_count()
    {
        await PostAsync(ServerFixture.Track("g-cat", "cat", "Go"));
        await WaitForStatsAsync("waits", s => s.GetProperty("active").GetInt64() == 3);
        await _page.GotoAsync("/");
        await Action("waits", "stats").ClickAsync();
        await Expect(_page.Locator("#view-title")).ToHaveTextAsync("Stats of waits");
        await Expect(_page.Locator("#trace")).ToContainTextAsync("\"active\": 3");
        var shown = JsonDocument.Parse((await _page.Locator("#trace").TextContentAsync())!).RootElement;
        var stats = await _server.GetJsonAsync("/v1/journeys/waits/stats");
        Assert.True(JsonElement.DeepEquals(stats, shown), $"shown {shown}, served {stats}");
        Assert.Equal(3, shown.GetProperty("steps").GetProperty("wait").GetInt64());
        await Expect(Cell("waits", "active")).ToHaveTextAsync("3");
    }

    [Fact]
    public async Task With_an_api_key_the_page_shows_the_401_until_the_key_is_typed_and_then_lists_the_journeys()
    {
        await using var keyed = await ServerFixture.StartAsync(journeys: [TestJourneys.File("waits", TestJourneys.Waits)], configure: o => o.ApiKey = "k");
        try
        {
            await NewPageAsync(keyed);
            await _page.GotoAsync("/");
            await Expect(_page.Locator("#error")).ToHaveTextAsync("missing or wrong X-Api-Key header");
            await Expect(_page.Locator("#journeys tbody tr")).ToHaveCountAsync(0);

            await _page.Locator("#key").FillAsync("wrong");
            await _page.Locator("#key").PressAsync("Enter");
            await Expect(_page.Locator("#error")).ToHaveTextAsync("missing or wrong X-Api-Key header");
            await Expect(_page.Locator("#journeys tbody tr")).ToHaveCountAsync(0);

            // typed, then Refresh clicked: the field's change and the click both load
            await _page.Locator("#key").FillAsync("k");
            await _page.Locator("#refresh").ClickAsync();
            await Expect(Cell("waits", "status")).ToHaveTextAsync("active");
            await Expect(_page.Locator("#journeys tbody tr")).ToHaveCountAsync(1);
            await Expect(_page.Locator("#error")).ToBeEmptyAsync();

            // the key is remembered in this browser
            await _page.ReloadAsync();
            await Expect(Cell("waits", "status")).ToHaveTextAsync("active");
            await Expect(_page.Locator("#error")).ToBeEmptyAsync();
        }
        finally
        {
            keyed.DeleteFolder();
        }
    }
}
