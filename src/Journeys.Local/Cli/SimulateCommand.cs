using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Local.Report;

namespace Journeys.Local.Cli;

/// <summary>How <c>simulate</c> runs: <c>--partitions N</c> (1: one run over all users), <c>--parallel P</c>, <c>--stats</c>.</summary>
public sealed record SimulateMode(int Partitions = 1, int Parallel = 1, bool Stats = false)
{
    public static SimulateMode Default { get; } = new();
}

/// <summary>
/// <c>journeys simulate DIR EVENTS.jsonl [--until ISO] [--settings FILE] [--outbox FILE] [--report FILE.html] [--partitions N [--parallel P]] [--stats]</c>:
/// trace JSON lines on stdout, bad event lines and the per-journey summary on stderr. Invalid definitions
/// or settings stop it before any replay. With partitions the trace is the same, byte for byte
/// (<see cref="PartitionedReplay"/>); <c>--stats</c> adds events/s and peak memory to stderr.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string definitions, string eventsPath, DateTimeOffset? until, string? settingsPath, string? outboxPath, TextWriter stdout, TextWriter stderr, string? reportPath = null) =>
        Run(definitions, eventsPath, until, settingsPath, outboxPath, SimulateMode.Default, stdout, stderr, reportPath);

    public static int Run(string definitions, string eventsPath, DateTimeOffset? until, string? settingsPath, string? outboxPath, SimulateMode mode, TextWriter stdout, TextWriter stderr, string? reportPath = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var engineOptions = EngineOptions.Default;
        if (settingsPath is not null)
        {
            if (!TryFile(settingsPath, "read", File.ReadAllText, stderr, out var json))
            {
                return JourneysCli.Invalid;
            }
            var (options, problems) = EngineSettingsReader.Read(settingsPath, json);
            if (Report(problems, stderr))
            {
                return JourneysCli.Invalid;
            }
            engineOptions = options;
        }
        var loaded = DefinitionLoader.LoadDirectory(definitions);
        if (Report(loaded.Problems, stderr))
        {
            stderr.WriteLine($"{definitions}: definitions are invalid; nothing was simulated");
            return JourneysCli.Invalid;
        }
        if (!TryFile(eventsPath, "read", File.OpenRead, stderr, out var events))
        {
            return JourneysCli.Invalid;
        }
        OutboxLineWriter? outbox = null;
        if (outboxPath is not null && !TryFile(outboxPath, "write", p => new OutboxLineWriter(new BufferedStream(File.Create(p), 1 << 16)), stderr, out outbox))
        {
            events.Dispose();
            return JourneysCli.Invalid;
        }

        if (mode.Partitions > 1 && reportPath is not null)
        {
            events.Dispose();
            outbox?.Dispose();
            stderr.WriteLine("--report counts one run: use it without --partitions");
            return JourneysCli.Invalid;
        }
        var set = DefinitionSet.From(loaded);
        var report = reportPath is null ? null : new ReportCounters(engineOptions.GlobalControl);
        var simulator = new Simulator(set, new SimulationOptions { Until = until, Engine = engineOptions, Observer = report });
        SimulationResult result;
        string? stages = null;
        using (events)
        using (outbox)
        using (var trace = new TraceLineWriter(TextWriter.Null))
        using (var lines = Utf8Lines.Over(stdout))
        {
            try
            {
                result = mode.Partitions > 1
                    ? PartitionedReplay.Run(simulator, events, eventsPath, mode.Partitions, mode.Parallel, lines.Write, outbox is null ? null : outbox.WriteLine, stderr, s => stages = s)
                    : simulator.Run(events, eventsPath, r => lines.Write(trace.Format(r)), stderr, outbox is null ? null : outbox.Write);
            }
            catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
            {
                stderr.WriteLine($"{eventsPath}: {e.Message}");
                return JourneysCli.Invalid;
            }
        }
        stdout.Flush();
        stderr.WriteLine();
        stderr.WriteLine($"replayed {result.Events} events ({result.Duplicates} duplicates, {result.Rejected} rejected{(until is null ? "" : $", {result.SkippedAfterUntil} after --until")})");
        result.Summary.WriteTable(stderr, set.Journeys.Select(j => j.Id));
        if (report is not null && !TryFile(reportPath!, "write", p => { SimulationReport.Write(p, Path.GetFileName(eventsPath), definitions, loaded, report); return true; }, stderr, out _))
        {
            return JourneysCli.Invalid;
        }
        if (mode.Stats)
        {
            WriteStats(result, clock.Elapsed, mode, stderr);
            if (stages is not null)
            {
                stderr.WriteLine($"stats: {stages}");
            }
        }
        return JourneysCli.Ok;
    }

    /// <summary>Events per second over the whole command (definitions, replay, trace) and the process's peak memory.</summary>
    private static void WriteStats(SimulationResult result, TimeSpan elapsed, SimulateMode mode, TextWriter stderr)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        var lines = result.Events + result.Duplicates + result.Rejected + result.SkippedAfterUntil;
        stderr.WriteLine(
            $"stats: {lines} events in {elapsed.TotalSeconds:F2} s = {lines / Math.Max(elapsed.TotalSeconds, 1e-9):F0} events/s; "
            + $"peak memory {process.PeakWorkingSet64 / 1048576.0:F0} MiB; "
            + $"GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s; "
            + $"{process.TotalProcessorTime.TotalSeconds:F2} s CPU; partitions {mode.Partitions}, parallel {mode.Parallel}");
    }

    /// <summary>Prints each problem; true when there was any.</summary>
    private static bool Report(IReadOnlyList<DefinitionProblem> problems, TextWriter stderr)
    {
        foreach (var problem in problems)
        {
            stderr.WriteLine(problem);
        }
        return problems.Count > 0;
    }

    /// <summary>Opens or reads a file the user named; a failure is one line naming the file, not a stack trace.</summary>
    private static bool TryFile<T>(string path, string verb, Func<string, T> open, TextWriter stderr, out T value)
    {
        try
        {
            value = open(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{path}: cannot {verb}: {e.Message}");
            value = default!;
            return false;
        }
    }
}
