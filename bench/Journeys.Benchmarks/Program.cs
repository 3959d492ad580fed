using BenchmarkDotNet.Running;
using Journeys.Benchmarks;

// `generate` writes a synthetic event log for `journeys simulate`; anything else runs BenchmarkDotNet.
if (args.Length > 0 && args[0] == "generate")
{
    return EventLogGenerator.Run(args[1..]);
}
// `sim-profile` replays a log stage by stage (read, parse, run, trace) for docs/performance.md.
if (args.Length > 3 && args[0] == "sim-profile")
{
    return SimulationProfile.Run(args[1..]);
}
// `load ingest|timers|stats|soak` drives a real `journeys serve` process over HTTP (docs/performance.md).
if (args.Length > 1 && args[0] == "load")
{
    return await Journeys.Benchmarks.Load.ServerLoad.RunAsync(args[1..]);
}
// `sqlite-baseline` measures raw SQLite on the same rows, the ceiling the server is compared with.
if (args.Length > 0 && args[0] == "sqlite-baseline")
{
    return Journeys.Benchmarks.Load.SqliteBaseline.Run(args[1..]);
}
// `profile-entry` runs the entry workload in a loop, for a profiler to attach to.
if (args.Length > 0 && args[0] == "profile-entry")
{
    var benchmark = new EntryEvaluationBenchmark();
    benchmark.Setup();
    var elapsed = TimeSpan.Zero;
    for (var i = 0; i < 20; i++)
    {
        benchmark.NewRuntime();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        benchmark.Ingest();
        elapsed += clock.Elapsed;
    }
    Console.Error.WriteLine($"{elapsed.TotalMilliseconds / 2_000:F2} us/event");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
