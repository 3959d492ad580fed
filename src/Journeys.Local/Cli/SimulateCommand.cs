using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Local.Report;

namespace Journeys.Local.Cli;

/// <summary>
/// <c>journeys simulate DIR EVENTS.jsonl [--until ISO] [--settings FILE] [--outbox FILE] [--report FILE.html]</c>: trace
/// JSON lines on stdout, bad event lines and the per-journey summary on stderr. Invalid definitions
/// or settings stop it before any replay.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string definitions, string eventsPath, DateTimeOffset? until, string? settingsPath, string? outboxPath, TextWriter stdout, TextWriter stderr, string? reportPath = null)
    {
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

        var set = DefinitionSet.From(loaded);
        var report = reportPath is null ? null : new ReportCounters();
        var simulator = new Simulator(set, new SimulationOptions { Until = until, Engine = engineOptions, Observer = report });
        SimulationResult result;
        using (events)
        using (outbox)
        using (var trace = new TraceLineWriter(stdout))
        {
            result = simulator.Run(events, eventsPath, trace.Write, stderr, outbox is null ? null : outbox.Write);
        }
        stdout.Flush();
        stderr.WriteLine();
        stderr.WriteLine($"replayed {result.Events} events ({result.Duplicates} duplicates, {result.Rejected} rejected{(until is null ? "" : $", {result.SkippedAfterUntil} after --until")})");
        result.Summary.WriteTable(stderr, set.Journeys.Select(j => j.Id));
        if (report is not null && !TryFile(reportPath!, "write", p => { SimulationReport.Write(p, Path.GetFileName(eventsPath), definitions, loaded, report); return true; }, stderr, out _))
        {
            return JourneysCli.Invalid;
        }
        return JourneysCli.Ok;
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
