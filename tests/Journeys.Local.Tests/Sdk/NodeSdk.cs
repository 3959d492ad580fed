using System.Diagnostics;
using System.Text.Json;

namespace Journeys.Local.Tests.Sdk;

/// <summary>What <c>tools/sdks/send.js</c> reports: how many calls the SDK delivered, and the ones it gave up on.</summary>
internal sealed record SdkResult(int Delivered, IReadOnlyList<SdkFailure> Failed);

internal sealed record SdkFailure(int Index, string Error);

/// <summary>
/// The real Segment and RudderStack Node SDKs (pinned in tools/sdks), run by <c>node tools/sdks/send.js</c>. They
/// are installed with <c>npm ci</c> the first time a test needs them, so <c>dotnet test</c> needs no set-up.
/// </summary>
internal static class NodeSdk
{
    public const string Segment = "segment";
    public const string RudderStack = "rudderstack";

    private static readonly string Folder = Path.Combine(RepositoryPaths.Root, "tools", "sdks");
    private static readonly Lazy<bool> Installed = new(Install);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sends <paramref name="calls"/> (each an SDK method's message plus its <c>type</c>) through <paramref name="sdk"/>.</summary>
    /// <param name="flush">Flush when all are queued; false: leave it to the SDK's <paramref name="flushInterval"/> timer.</param>
    public static async Task<SdkResult> SendAsync(
        string sdk, string url, string writeKey, IReadOnlyList<object> calls, int flushAt = 100, int flushInterval = 10_000, bool flush = true)
    {
        _ = Installed.Value;
        var spec = JsonSerializer.Serialize(new { url, writeKey, flushAt, flushInterval, flush, calls }, Json);
        var start = new ProcessStartInfo("node") { WorkingDirectory = Folder, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("send.js");
        start.ArgumentList.Add(sdk);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(spec);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node send.js {sdk} did not finish within 60 s: {await stderr}");
        }
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node send.js {sdk} exited {process.ExitCode}: {await stderr}{output}");
        return JsonSerializer.Deserialize<SdkResult>(output.Trim().Split('\n')[^1], Json)!;
    }

    private static bool Install()
    {
        if (Directory.Exists(Path.Combine(Folder, "node_modules", "@segment", "analytics-node"))
            && Directory.Exists(Path.Combine(Folder, "node_modules", "@rudderstack", "rudder-sdk-node")))
        {
            return true;
        }
        var start = new ProcessStartInfo("npm") { WorkingDirectory = Folder, UseShellExecute = false };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            start.ArgumentList.Add(argument);
        }
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("could not run npm");
        if (!npm.WaitForExit(TimeSpan.FromMinutes(5)) || npm.ExitCode != 0)
        {
            npm.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`npm ci` in {Folder} failed: install Node.js 20 or later and npm");
        }
        return true;
    }
}
