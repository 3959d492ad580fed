using System.Text.Json;
using Journeys.Local.Tests.Dashboard;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Journeys.Local.Tests.Cli;

/// <summary>
/// <c>journeys simulate --report FILE.html</c>: one self-contained file (nothing loaded from elsewhere) that draws every
/// journey with the backtest's counts, which agree with the trace the same run prints.
/// </summary>
public sealed class SimulateReportTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_report_draws_every_journey_with_the_counts_of_the_trace_and_works_offline()
    {
        var report = Path.Combine(_dir, "report.html");
        var events = Path.Combine(RepositoryPaths.Samples, "events", "product-consideration.jsonl");
        var run = CliRun.Of("simulate", RepositoryPaths.Samples, events, "--report", report);
        Assert.Equal(0, run.Exit);
        var trace = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var html = File.ReadAllText(report);
        Assert.DoesNotContain(" src=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("/*DATA*/", html, StringComparison.Ordinal);

        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        // offline: any request the page makes fails, so the page must hold everything it needs
        await context.RouteAsync("**/*", route => route.Request.Url.StartsWith("file:", StringComparison.Ordinal) ? route.ContinueAsync() : route.AbortAsync());
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(report).AbsoluteUri);
        var loaded = Journeys.Core.Definitions.DefinitionLoader.LoadDirectory(RepositoryPaths.Samples);
        await Expect(page.Locator("section[data-journey]")).ToHaveCountAsync(loaded.Journeys.Count);
        foreach (var journey in loaded.Journeys)
        {
            var section = page.Locator($"section[data-journey='{journey.Id}']");
            var completes = journey.Steps.Values.Any(s => s.Successors.Contains(null));
            await Expect(section.Locator("g.node")).ToHaveCountAsync(journey.Steps.Count + 1 + (completes ? 1 : 0)); // the entry, the end
            if (completes)
            {
                var completed = trace.Count(r => r.GetProperty("journey").GetString() == journey.Id && r.GetProperty("kind").GetString() == "completed");
                await Expect(section.Locator("g.node[data-step='(end)']")).ToHaveAttributeAsync("data-count", completed.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            var entered = trace.Count(r => r.GetProperty("journey").GetString() == journey.Id && r.GetProperty("kind").GetString() == "entered");
            await Expect(section.Locator("g.node[data-step='(entry)']")).ToHaveAttributeAsync("data-count", entered.ToString(System.Globalization.CultureInfo.InvariantCulture));
            foreach (var step in journey.Steps.Keys)
            {
                // sends and path steps leave a record per visit: the node's count is the trace's
                var recorded = trace.Count(r => r.GetProperty("journey").GetString() == journey.Id && r.TryGetProperty("step", out var s) && s.GetString() == step
                    && r.GetProperty("kind").GetString() is "sent" or "suppressed" or "path");
                if (recorded > 0)
                {
                    await Expect(section.Locator($"g.node[data-step='{step}']")).ToHaveAttributeAsync("data-count", recorded.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }
        Assert.Empty(errors);
        Directory.CreateDirectory(GraphDashboardTests.Artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(GraphDashboardTests.Artifacts, "simulate-report.png"), FullPage = true });
    }
}
