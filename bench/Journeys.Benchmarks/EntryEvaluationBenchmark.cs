using BenchmarkDotNet.Attributes;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Benchmarks;

/// <summary>
/// Events through the runtime with 200 live journeys (150 event-entry over 30 event names, 50 entering
/// on 10 streaming segments): dedupe, history, entry conditions, segment membership. The events match
/// entry events but rarely the where clauses (about 1 event in 150 enrolls someone), like most traffic. Every user is known (identified)
/// before the measured events, as in a running system. Target: >= 500,000 events/s on one core.
/// </summary>
[MemoryDiagnoser]
[GcConcurrent(false)]
public class EntryEvaluationBenchmark
{
    private const int Events = 100_000;
    private DefinitionSet _set = null!;
    private CustomerEvent[] _events = null!;
    private CustomerEvent[] _identifies = null!;
    private JourneyRuntime _runtime = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sources = new List<(string, string)>();
        for (var s = 0; s < 10; s++)
        {
            sources.Add(($"s{s}.segment.json", $$$"""
                {"id":"s{{{s}}}","when":{"all":[{"performed":"Event{{{s}}}","within":"P7D","where":{"property":"amount","gt":990}},{"trait":"tier","eq":"gold"}]}}
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
        string[] tiers = ["gold", "silver", "bronze"];
        _identifies = Enumerable.Range(0, 10_000)
            .Select(u => EventParser.Parse($$"""
                {"type":"identify","messageId":"id-{{u}}","userId":"u-{{u}}","traits":{"email":"u{{u}}@example.com","tier":"{{tiers[u % 3]}}"},"timestamp":"{{Fixtures.T0.AddSeconds(-1):yyyy-MM-ddTHH:mm:ssZ}}"}
                """).Event!)
            .ToArray();
        // through the parser, as events arrive in production (names interned, values in our DOM)
        _events = Enumerable.Range(0, Events)
            .Select(i => EventParser.Parse($$"""
                {"type":"track","messageId":"m-{{i}}","userId":"u-{{random.Next(10_000)}}","event":"Event{{random.Next(30)}}",
                 "properties":{"amount":{{random.Next(1000)}},"sku":"SKU-{{random.Next(500)}}"},"timestamp":"{{Fixtures.T0.AddSeconds(i):yyyy-MM-ddTHH:mm:ssZ}}"}
                """).Event!)
            .ToArray();
    }

    /// <summary>A runtime that already knows every user (steady state: profiles exist, a third are gold).</summary>
    [IterationSetup]
    public void NewRuntime()
    {
        _runtime = new JourneyRuntime(_set, InMemoryStores.Create(), new NullOutput());
        foreach (var identify in _identifies)
        {
            _runtime.Ingest(identify, identify.Timestamp);
        }
    }

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
