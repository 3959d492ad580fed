using System.Security.Cryptography;
using System.Text.Json;

namespace Journeys.Local.Tests.Dashboard;

/// <summary>
/// The layout library is the pinned package's file (tools/dagre/README.md): the committed copy matches its recorded
/// hash (which tools/dagre/verify.sh writes from `npm ci` of the lock file), the lock pins the version, and the pages
/// inline it rather than load anything from elsewhere.
/// </summary>
public sealed class DagreBundleTests
{
    private static string Folder => Path.Combine(RepositoryPaths.Root, "tools", "dagre");

    [Fact]
    public void The_committed_bundle_is_the_pinned_packages_file()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(Folder, "dagre.min.js"))));
        Assert.Equal(File.ReadAllText(Path.Combine(Folder, "dagre.min.js.sha256")).Trim(), hash);
        using var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package-lock.json")));
        Assert.Equal("3.1.3", lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/@dagrejs/dagre").GetProperty("version").GetString());
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "package.json")));
        Assert.Equal("3.1.3", package.RootElement.GetProperty("dependencies").GetProperty("@dagrejs/dagre").GetString());
        // when node_modules is there (verify.sh, or a developer's npm ci), the installed file is the committed one
        var installed = Path.Combine(Folder, "node_modules", "@dagrejs", "dagre", "dist", "dagre.min.js");
        if (File.Exists(installed))
        {
            Assert.Equal(File.ReadAllBytes(installed), File.ReadAllBytes(Path.Combine(Folder, "dagre.min.js")));
        }
    }

    [Fact]
    public void The_dashboard_inlines_the_library_and_loads_nothing_from_elsewhere()
    {
        var page = Journeys.Local.Server.Dashboard.Inline("<script>/*DAGRE*/</script><script>/*JOURNEY-GRAPH*/</script>");
        Assert.Contains("var dagre=", page, StringComparison.Ordinal);
        Assert.Contains("const JourneyGraph", page, StringComparison.Ordinal);
        Assert.DoesNotContain("/*DAGRE*/", page, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", Journeys.Local.Server.Dashboard.Inline(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "src", "Journeys.Local", "Server", "dashboard.html"))), StringComparison.Ordinal);
    }
}
