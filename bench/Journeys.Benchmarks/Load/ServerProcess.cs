using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Journeys.Benchmarks.Load;

/// <summary><c>journeys serve</c> started as a separate process, as a user runs it; its RSS read from /proc.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string url)
    {
        _process = process;
        Url = url;
    }

    public string Url { get; }

    public int Pid => _process.Id;

    public static async Task<ServerProcess> StartAsync(string journeysDll, string data, string definitions)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { journeysDll, "serve", "--urls", url, "--data", data, "--definitions", definitions })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("server: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync(url + "/healthz");
                if (response.StatusCode == HttpStatusCode.OK) return new ServerProcess(process, url);
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        process.Kill(true);
        throw new TimeoutException("the server did not start");
    }

    /// <summary>Resident set size in MiB (VmRSS).</summary>
    public double RssMiB()
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return 0;
    }

    /// <summary>CPU time the server has used (user + system), from /proc/PID/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[11] and [12] are utime and stime (fields 14 and 15 of proc(5)), in clock ticks of 1/100 s
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
