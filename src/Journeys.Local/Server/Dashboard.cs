using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Local.Server;

/// <summary>The dashboard at <c>/</c>: one static page (embedded in the executable) that reads the API.</summary>
public static class Dashboard
{
    private static readonly Lazy<string> Page = new(() =>
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("Journeys.Local.Server.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    public static void Map(WebApplication app) =>
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
}
