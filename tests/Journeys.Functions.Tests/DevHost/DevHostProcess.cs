using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Journeys.Functions.Tests.DevHosting;

/// <summary>
/// The dev host as a child process (so a test can kill -9 it), on a free loopback port. It is told the test
/// process's id and exits when that is gone; disposing kills it.
/// </summary>
internal sealed class DevHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private DevHostProcess(Process process, Uri url, string? apiKey)
    {
        _process = process;
        Url = url;
        Http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(120) };
        if (apiKey is not null)
        {
            Http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    /// <summary>What it printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<DevHostProcess> StartAsync(DevHostRun run, CancellationToken cancellation)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var dll = Path.Combine(AppContext.BaseDirectory, "Journeys.Functions.DevHost.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "exec", dll, "--urls", $"http://127.0.0.1:{port}", "--storage", "UseDevelopmentStorage=true",
            "--definitions", run.Definitions, "--outbox", run.Outbox, "--task-hub", run.TaskHub,
            "--table-prefix", run.TablePrefix, "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(arg);
        }
        if (run.ApiKey is { } key)
        {
            start.ArgumentList.Add("--api-key");
            start.ArgumentList.Add(key);
        }
        start.Environment["Logging__LogLevel__Journeys.Orchestration"] = "Warning"; // a line per decision is too many here
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new DevHostProcess(process, url, run.ApiKey);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitHealthyAsync(cancellation);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
        return host;
    }

    /// <summary>Every trace record <c>GET /v1/trace?{query}</c> gives, page by page (X-Trace-Last names where the next one starts).</summary>
    public async Task<List<string>> TraceAsync(string query, CancellationToken cancellation)
    {
        var records = new List<string>();
        string? after = null;
        while (true)
        {
            using var response = await Http.GetAsync($"v1/trace?{query}&limit=10000" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), cancellation);
            response.EnsureSuccessStatusCode();
            var lines = (await response.Content.ReadAsStringAsync(cancellation)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            records.AddRange(lines);
            if (lines.Length == 0 || !response.Headers.TryGetValues("X-Trace-Last", out var last))
            {
                return records;
            }
            after = last.First();
        }
    }

    /// <summary>
    /// Until <paramref name="count"/> reaches <paramref name="expected"/>; on a timeout, fails with the last count,
    /// what <paramref name="describe"/> says of the state then, and the host's output.
    /// </summary>
    public async Task WaitForAsync(Func<Task<int>> count, int expected, CancellationToken cancellation, Func<CancellationToken, Task<string>>? describe = null)
    {
        var last = -1;
        try
        {
            while ((last = await count()) < expected)
            {
                await Task.Delay(500, cancellation);
            }
        }
        catch (OperationCanceledException)
        {
            var state = "";
            if (describe is not null)
            {
                using var more = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    state = await describe(more.Token) + "\n";
                }
                catch (Exception e)
                {
                    state = $"(no state: {e.Message})\n";
                }
            }
            Assert.Fail($"timed out at {last} of {expected}\n{state}{Output}");
        }
    }

    /// <summary>kill -9: no shutdown code runs.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.WaitForExit(10_000);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        Http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task WaitHealthyAsync(CancellationToken cancellation)
    {
        using var probe = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(2) };
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the dev host exited with {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await probe.GetAsync("healthz", cancellation);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
                // a probe timed out
            }
            await Task.Delay(200, cancellation);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
