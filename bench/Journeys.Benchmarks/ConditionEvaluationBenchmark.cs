using BenchmarkDotNet.Attributes;
using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;

namespace Journeys.Benchmarks;

/// <summary>Condition evaluation: property, trait, history and segment forms. Target: 0 bytes allocated.</summary>
[MemoryDiagnoser]
[GcConcurrent(false)]
public class ConditionEvaluationBenchmark
{
    private CompiledCondition _condition = null!;
    private ConditionContext _context;

    [GlobalSetup]
    public void Setup()
    {
        var set = Fixtures.Load(
            ("vip.segment.json", """{"id":"vip","when":{"trait":"loyaltyTier","in":["gold","vip"]}}"""),
            ("c.segment.json", """
                {"id":"c","when":{"all":[
                  {"property":"price","gt":"100"},
                  {"property":"sku","startsWith":"top"},
                  {"trait":"cart.total","gte":50},
                  {"trait":"email","endsWith":"@EXAMPLE.com"},
                  {"inSegment":"vip"},
                  {"performed":"ProductViewed","within":"P7D","where":{"property":"category","eq":"Tops"},"count":{"gte":2}},
                  {"notPerformed":"Purchase","within":"PT24H"},
                  {"any":[{"trait":"phone","exists":true},{"not":{"trait":"consent.sms","eq":false}}]}]}}
                """));
        _condition = set.Segment("c");
        var history = Enumerable.Range(0, 20)
            .Select(i => new HistoryEvent(i + 1, i % 2 == 0 ? "ProductViewed" : "AddToCart", Fixtures.T0.AddHours(-i),
                Value.From(new Dictionary<string, Value> { ["category"] = Value.From("tops") })))
            .Reverse().ToArray();
        var properties = Value.From(new Dictionary<string, Value> { ["price"] = Value.From(120), ["sku"] = Value.From("TOP-7") });
        _context = new ConditionContext(Fixtures.Profile("u-1"), properties, history, Fixtures.T0);
        if (!_condition.Evaluate(_context)) throw new InvalidOperationException("the benchmark condition should hold");
    }

    [Benchmark]
    public bool Evaluate() => _condition.Evaluate(_context);
}
