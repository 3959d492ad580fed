using BenchmarkDotNet.Running;
using Journeys.Benchmarks;

// `generate` writes a synthetic event log for `journeys simulate`; anything else runs BenchmarkDotNet.
if (args.Length > 0 && args[0] == "generate")
{
    return EventLogGenerator.Run(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
