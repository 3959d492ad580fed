using System.Diagnostics;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Benchmarks;

/// <summary>
/// Where a simulation's time and memory go: <c>sim-profile DIR EVENTS.jsonl read|parse|run|trace [--keep-finished] [--alloc] [--hold]</c>
/// replays the log stopping after one stage (read the lines; parse them too; run them through the runtime with
/// the trace discarded; write the trace to /dev/null as the CLI does), and prints the stage's time, GC counts
/// and pauses, and the live heap at the end (the stores still referenced). Subtracting stages gives each one's share;
/// <c>--alloc</c> adds what was allocated, by type (<see cref="AllocationSampler"/>).
/// </summary>
internal static class SimulationProfile
{
    public static int Run(string[] args)
    {
        var (dir, path, stage) = (args[0], args[1], args[2]);
        var keepFinished = args.Contains("--keep-finished");
        using var allocations = args.Contains("--alloc") ? new AllocationSampler() : null;
        var set = DefinitionSet.From(DefinitionLoader.LoadDirectory(dir));
        var clock = Stopwatch.StartNew();
        long lines = 0, records = 0;
        RuntimeStores? stores = null;
        using var file = File.OpenRead(path);
        switch (stage)
        {
            case "read":
            case "parse":
                var reader = new JsonLinesReader(file);
                while (reader.TryReadLine(out var line, out _))
                {
                    lines++;
                    if (stage == "parse") EventParser.Parse(line.Span);
                }
                break;
            case "run":
                stores = keepFinished ? InMemoryStores.Create() : InMemoryStores.ForReplay();
                lines = new Simulator(set).Run(file, path, _ => records++, TextWriter.Null, null, stores).Events;
                break;
            case "trace":
                stores = keepFinished ? InMemoryStores.Create() : InMemoryStores.ForReplay();
                using (var output = new StreamWriter(File.OpenWrite("/dev/null"), new System.Text.UTF8Encoding(false), 1 << 16))
                using (var trace = new TraceLineWriter(output))
                {
                    lines = new Simulator(set).Run(file, path, r => { records++; trace.Write(r); }, TextWriter.Null, null, stores).Events;
                }
                break;
            default:
                Console.Error.WriteLine("stage: read, parse, run or trace");
                return 2;
        }
        var elapsed = clock.Elapsed;
        var pauses = GC.GetTotalPauseDuration();
        var live = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(stores);
        Console.Error.WriteLine(
            $"{stage}: {lines:N0} events, {records:N0} records in {elapsed.TotalSeconds:F2} s; GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen0/1/2), "
            + $"paused {pauses.TotalSeconds:F2} s; live heap at end {live / 1048576.0:F0} MiB; peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
        allocations?.Print(Console.Error);
        if (args.Contains("--hold"))
        {
            // for a heap snapshot of the end state: dotnet-gcdump collect -p PID
            Console.Error.WriteLine($"holding the stores for 60 s: process {Environment.ProcessId}");
            Thread.Sleep(TimeSpan.FromSeconds(60));
            GC.KeepAlive(stores);
        }
        return 0;
    }
}
