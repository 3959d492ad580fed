using BenchmarkDotNet.Attributes;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Benchmarks;

/// <summary>
/// Events through the runtime with 200 live journeys (150 event-entry over 30 event names, 50 entering
/// on 10 streaming segments): dedupe, history, entry conditions, segment membership. The events match
/// entry events but rarely the where clauses, like most traffic. Target: >= 500,000 events/s on one core.
/// </summary>
[MemoryDiagnoser]
public class EntryEvaluationBenchmark
{
    private const int Events = 100_000;
    private DefinitionSet _set = null!;
    private CustomerEvent[] _events = null!;
    private JourneyRuntime _runtime = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sources = new List<(string, string)>();
        for (var s = 0; s < 10; s++)
        {
            sources.Add(($"s{s}.segment.json", $$$"""
                {"id":"s{{{s}}}","when":{"all":[{"performed":"Event{{{s}}}","within":"P7D","where":{"property":"amount","gt":900}},{"trait":"tier","eq":"gold"}]}}
                """));
        }
        for (var j = 0; j < 200; j++)
        {
            var entry = j < 150
                ? $$$"""{"event":"Event{{{j % 30}}}","where":{"all":[{"property":"amount","gt":{{{900 + j % 50}}}},{"property":"sku","startsWith":"SKU-{{{j}}}"}]}}"""
                : $$$"""{"segment":"s{{{j % 10}}}"}""";
            sources.Add(($"j{j}.journey.json",
                "{\"id\":\"j" + j + "\",\"entry\":" + entry + ",\"start\":\"w\",\"steps\":{\"w\":{\"type\":\"delay\",\"for\":\"P1D\"}}}"));
        }
        _set = Fixtures.Load([.. sources]);
        var random = new Random(42);
        _events = Enumerable.Range(0, Events).Select(i => CustomerEvent.Track(
            $"m-{i}", $"u-{random.Next(10_000)}", $"Event{random.Next(30)}", Fixtures.T0.AddSeconds(i),
            Value.From(new Dictionary<string, Value> { ["amount"] = Value.From(random.Next(1000)), ["sku"] = Value.From($"SKU-{random.Next(500)}") })))
            .ToArray();
    }

    [IterationSetup]
    public void NewRuntime() => _runtime = new JourneyRuntime(_set, InMemoryStores.Create(), new NullOutput());

    [Benchmark(OperationsPerInvoke = Events)]
    public void Ingest()
    {
        foreach (var e in _events)
        {
            _runtime.Ingest(e, e.Timestamp);
        }
    }

    private sealed class NullOutput : IRuntimeOutput
    {
        public void Trace(TraceRecord record) { }

        public void Send(SendMessage message) { }
    }
}
