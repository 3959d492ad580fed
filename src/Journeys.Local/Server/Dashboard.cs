using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Local.Server;

/// <summary>
/// The dashboard at <c>/</c>: one static page that reads the API. The page, the graph drawing script and the
/// layout library (dagre, pinned in tools/dagre) are embedded in the executable at build time and put together
/// into one page here: nothing is fetched from elsewhere, so it works offline.
/// </summary>
public static class Dashboard
{
    private static readonly Lazy<string> Page = new(() => Inline(Resource("Journeys.Local.Server.dashboard.html")));

    /// <summary>The two scripts every page that draws a journey inlines: the layout library and the drawing code.</summary>
    public static string LayoutScript => Resource("Journeys.Local.Server.dagre.min.js");

    public static string GraphScript => Resource("Journeys.Local.Server.journey-graph.js");

    /// <summary>Replaces the page's <c>/*DAGRE*/</c> and <c>/*JOURNEY-GRAPH*/</c> markers with the scripts.</summary>
    public static string Inline(string page) =>
        page.Replace("/*DAGRE*/", ScriptText(LayoutScript), StringComparison.Ordinal)
            .Replace("/*JOURNEY-GRAPH*/", ScriptText(GraphScript), StringComparison.Ordinal);

    // a script's text may not hold "</script": the HTML parser would end the element there
    private static string ScriptText(string script) => script.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase);

    private static string Resource(string name)
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static void Map(WebApplication app) =>
        app.MapGet("/", () => Results.Content(Page.Value, "text/html; charset=utf-8"));
}
