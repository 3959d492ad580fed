using BenchmarkDotNet.Running;
using Journeys.Benchmarks;

// `generate` writes a synthetic event log for `journeys simulate`; anything else runs BenchmarkDotNet.
if (args.Length > 0 && args[0] == "generate")
{
    return EventLogGenerator.Run(args[1..]);
}
// `profile-entry` runs the entry workload in a loop, for a profiler to attach to.
if (args.Length > 0 && args[0] == "profile-entry")
{
    var benchmark = new EntryEvaluationBenchmark();
    benchmark.Setup();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var pause = GC.GetTotalPauseDuration();
    for (var i = 0; i < 20; i++)
    {
        benchmark.NewRuntime();
        benchmark.Ingest();
    }
    Console.Error.WriteLine($"{clock.Elapsed.TotalMilliseconds / 2_000:F2} us/event, GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F0} ms, gen0 {GC.CollectionCount(0)} gen1 {GC.CollectionCount(1)} gen2 {GC.CollectionCount(2)}");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
