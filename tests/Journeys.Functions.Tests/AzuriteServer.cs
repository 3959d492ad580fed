using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Journeys.Functions.Tests;

/// <summary>
/// Makes sure Azurite listens on 127.0.0.1:10000-10002 (<c>UseDevelopmentStorage=true</c>) before any test
/// of this assembly runs, so <c>dotnet test Functions.sln</c> needs no set-up: an Azurite already running
/// (CI's, a developer's) is used as it is; otherwise the repo's pinned one (tools/azurite) is installed with
/// <c>npm ci</c> when missing, started on a fresh folder and stopped when the test process exits.
/// </summary>
internal static class AzuriteServer
{
    private const int TablePort = 10002;
    private static Process? _started;

    [ModuleInitializer]
    internal static void EnsureRunning()
    {
        if (Listening())
        {
            return;
        }
        var tools = Path.Combine(RepositoryRoot(), "tools", "azurite");
        var azurite = Path.Combine(tools, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            Run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], tools, TimeSpan.FromMinutes(5));
        }
        var location = Directory.CreateTempSubdirectory("journeys-azurite-").FullName;
        var start = new ProcessStartInfo(azurite) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--silent", "--skipApiVersionCheck", "--loose", "--location", location })
        {
            start.ArgumentList.Add(argument);
        }
        _started = Process.Start(start) ?? throw new InvalidOperationException("could not start Azurite from " + azurite);
        _started.OutputDataReceived += (_, _) => { };
        _started.ErrorDataReceived += (_, _) => { };
        _started.BeginOutputReadLine();
        _started.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(location);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening())
        {
            if (_started.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Azurite ({azurite}) did not start listening on 127.0.0.1:{TablePort}");
            }
            Thread.Sleep(200);
        }
    }

    private static void Stop(string location)
    {
        try
        {
            if (_started is { HasExited: false })
            {
                _started.Kill(entireProcessTree: true);
                _started.WaitForExit(5000);
            }
            Directory.Delete(location, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // best effort at exit: a temp folder left behind is harmless
        }
    }

    private static bool Listening()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", TablePort);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static void Run(string file, string[] arguments, string directory, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not run {file}");
        if (!process.WaitForExit(timeout) || process.ExitCode != 0)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{file} {string.Join(' ', arguments)}` in {directory} failed: install Node.js and npm, or start Azurite yourself");
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
