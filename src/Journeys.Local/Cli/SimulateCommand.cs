using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Local.Cli;

/// <summary>
/// <c>journeys simulate DIR EVENTS.jsonl [--until ISO]</c>: trace JSON lines on stdout, bad event
/// lines and the per-journey summary on stderr. Invalid definitions stop it before any replay.
/// </summary>
public static class SimulateCommand
{
    public static int Run(string definitions, string eventsPath, DateTimeOffset? until, string? settingsPath, string? outboxPath, TextWriter stdout, TextWriter stderr)
    {
        var engineOptions = EngineOptions.Default;
        if (settingsPath is not null)
        {
            string json;
            try
            {
                json = File.ReadAllText(settingsPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"{settingsPath}: cannot read: {e.Message}");
                return JourneysCli.Invalid;
            }
            var (options, problems) = EngineSettingsReader.Read(settingsPath, json);
            foreach (var problem in problems)
            {
                stderr.WriteLine(problem);
            }
            if (problems.Count > 0)
            {
                return JourneysCli.Invalid;
            }
            engineOptions = options;
        }
        var loaded = DefinitionLoader.LoadDirectory(definitions);
        if (!loaded.IsValid)
        {
            foreach (var problem in loaded.Problems)
            {
                stderr.WriteLine(problem);
            }
            stderr.WriteLine($"{definitions}: definitions are invalid; nothing was simulated");
            return JourneysCli.Invalid;
        }
        Stream events;
        try
        {
            events = File.OpenRead(eventsPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"{eventsPath}: cannot read: {e.Message}");
            return JourneysCli.Invalid;
        }
        var set = DefinitionSet.From(loaded);
        var simulator = new Simulator(set, new SimulationOptions { Until = until, Engine = engineOptions });
        SimulationResult result;
        OutboxLineWriter? outbox = null;
        if (outboxPath is not null)
        {
            try
            {
                outbox = new OutboxLineWriter(new BufferedStream(File.Create(outboxPath), 1 << 16));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                events.Dispose();
                stderr.WriteLine($"{outboxPath}: cannot write: {e.Message}");
                return JourneysCli.Invalid;
            }
        }
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
        return JourneysCli.Ok;
    }
}
