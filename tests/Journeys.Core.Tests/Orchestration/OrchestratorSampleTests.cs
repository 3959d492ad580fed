using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Definitions;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// Every sample's event log, run through the Azure ingestion and one orchestration per enrollment on
/// the fake Durable host, gives the trace the simulator gives (samples/expected), byte for byte.
/// </summary>
public sealed class OrchestratorSampleTests
{
    private static string Samples => Path.Combine(DefinitionKit.RepositoryRoot(), "samples");

    public static TheoryData<string> Cases() => new(
        Directory.EnumerateFiles(Path.Combine(Samples, "events"), "*.jsonl")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileNameWithoutExtension(f)));

    private static AzureHarness Run(string name, int maxIterations)
    {
        var harness = new AzureHarness(AzureHarness.DirectorySources(Samples), maxIterations: maxIterations);
        harness.Replay(File.ReadLines(Path.Combine(Samples, "events", name + ".jsonl")));
        return harness;
    }

    private static string Lines(IEnumerable<TraceRecord> records)
    {
        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new TraceLineWriter(text))
        {
            foreach (var record in records)
            {
                writer.Write(record);
            }
        }
        return text.ToString();
    }

    private static string Expected(string name) =>
        File.ReadAllText(Path.Combine(Samples, "expected", name + ".trace.jsonl")).ReplaceLineEndings("\n");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_runs_through_the_orchestrator_to_the_simulators_trace(string name)
    {
        var harness = Run(name, maxIterations: 32);

        Assert.Equal(Expected(name), Lines(harness.Trace));
        foreach (var instance in harness.Host.Instances.Values)
        {
            Assert.True(instance.MaxOutstandingWaiters <= 1, $"{instance.Id} had {instance.MaxOutstandingWaiters} event waiters at once");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Continuing_as_new_after_every_input_loses_nothing(string name)
    {
        var harness = Run(name, maxIterations: 1);

        Assert.Equal(Expected(name), Lines(harness.Trace)); // wakes lost at ContinueAsNew change nothing: each execution pulls first
        Assert.Contains(harness.Host.Instances.Values, i => i.ContinuedAsNew > 0);
    }
}
