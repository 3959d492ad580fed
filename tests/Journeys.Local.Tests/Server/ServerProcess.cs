using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Journeys.Local.Tests.Server;

/// <summary><c>journeys serve</c> as a child process, to be killed with SIGKILL like a crash.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    /// <summary>
    /// The tests that start serve processes and time what they do (kills under load, SDK timers) run one class at a
    /// time: on a 2-core machine, in parallel, they starve each other's windows.
    /// </summary>
    public const string Collection = "serve processes";

    public string Url { get; }

    /// <summary>What it printed so far, stdout and stderr, line by line.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <param name="arguments">More <c>serve</c> options (<c>--api-key</c>).</param>
    public static async Task<ServerProcess> StartAsync(string data, string definitions, params string[] arguments)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var process = Process.Start(Serve(["--urls", url, "--data", data, "--definitions", definitions, .. arguments]))!;
        var server = new ServerProcess(process, url);
        process.OutputDataReceived += (_, line) => { if (line.Data is not null) server.Output.Enqueue(line.Data); };
        process.ErrorDataReceived += (_, line) => { if (line.Data is not null) server.Output.Enqueue(line.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"journeys serve exited with {process.ExitCode}");
            }
            try
            {
                using var response = await http.GetAsync(url + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        server.Dispose();
        throw new TimeoutException("journeys serve did not answer /healthz within 30 s");
    }

    /// <summary>Runs <c>journeys serve</c> with <paramref name="arguments"/> until it exits (a start-up error), at most 60 s.</summary>
    public static (int Exit, string Stdout, string Stderr) RunToExit(params string[] arguments)
    {
        using var process = Process.Start(Serve(arguments))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("journeys serve " + string.Join(' ', arguments) + " did not exit within 60 s");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static ProcessStartInfo Serve(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "journeys.dll"));
        start.ArgumentList.Add("serve");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return start;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
