using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using static Journeys.Core.Tests.Conditions.ConditionKit;

namespace Journeys.Core.Tests.Conditions;

/// <summary>DESIGN §4: "Conditions are compiled once per definition version; evaluation allocates nothing on the hot path."</summary>
public class AllocationTests
{
    private const int Iterations = 1000;

    private static readonly DateTimeOffset T = ConditionKit.Now;

    private static readonly HistoryEvent[] History =
    [
        Event(1, "ProductViewed", T.AddDays(-9), """{"sku":"TOP-7","price":"40"}"""),
        Event(2, "Purchase", T.AddDays(-8), """{"sku":"TOP-7","price":120}"""),
        Event(3, "StoreVisit", T.AddDays(-3)),
        Event(4, "ProductViewed", T.AddDays(-2), """{"sku":"top-8","price":60}"""),
        Event(5, "ProductViewed", T.AddHours(-5), """{"sku":"TOP-9","price":"75.5"}"""),
        Event(6, "CartAbandoned", T.AddHours(-1), """{"cart":{"total":80}}"""),
    ];

    private static ConditionContext Rich() => Context(
        traitsJson: """{"loyaltyTier":"Gold","lifetimeSpend":"1250","email":"beth@example.com","consent":{"sms":true},"interests":["hiking","tea"],"birthday":"1990-06-14","renewsAt":"2026-06-13T09:00:00Z","timezone":"America/New_York"}""",
        propertiesJson: """{"price":120,"sku":"TOP-7","qty":"3","tags":["Sale","new"],"cart":{"total":75.5,"items":3},"name":"Winter Jacket"}""",
        history: History,
        now: T,
        entrySequence: 3);

    /// <summary>Bytes allocated on this thread by <see cref="Iterations"/> evaluations, after a warm-up; also checks the answer stays put.</summary>
    private static long AllocatedBytes(CompiledCondition condition, in ConditionContext context, out bool result)
    {
        result = condition.Evaluate(context);
        for (var i = 0; i < 100; i++)
        {
            condition.Evaluate(context);
        }
        // steady state: the runtime may allocate once while it tiers code up (type loads, call
        // counting), so take the quietest of a few rounds; a real per-evaluation allocation shows in every round
        var same = true;
        var least = long.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < Iterations; i++)
            {
                same &= condition.Evaluate(context) == result;
            }
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(same, "evaluation gave different answers for the same context");
        return least;
    }

    [Theory]
    [InlineData("""{"property":"price","gt":100}""", true)]
    [InlineData("""{"property":"qty","eq":3}""", true)]
    [InlineData("""{"property":"sku","eq":"top-7"}""", true)]
    [InlineData("""{"property":"sku","ne":"TOP-8"}""", true)]
    [InlineData("""{"property":"cart.total","lte":75.5}""", true)]
    [InlineData("""{"property":"sku","in":["x","y","top-7"]}""", true)]
    [InlineData("""{"property":"sku","notIn":["x","y"]}""", true)]
    [InlineData("""{"property":"name","contains":"JACKET"}""", true)]
    [InlineData("""{"property":"tags","contains":"sale"}""", true)]
    [InlineData("""{"property":"tags","notContains":"old"}""", true)]
    [InlineData("""{"property":"name","startsWith":"winter"}""", true)]
    [InlineData("""{"property":"name","endsWith":"JACKET"}""", true)]
    [InlineData("""{"property":"coupon","exists":false}""", true)]
    [InlineData("""{"trait":"loyaltyTier","in":["gold","vip"]}""", true)]
    [InlineData("""{"trait":"lifetimeSpend","gte":1000}""", true)]
    [InlineData("""{"trait":"consent.sms","eq":true}""", true)]
    [InlineData("""{"trait":"missing.path","eq":1}""", false)]
    public void ValueTestsAllocateNothing(string condition, bool expected)
    {
        var bytes = AllocatedBytes(Compile(condition), Rich(), out var result);
        Assert.Equal(expected, result);
        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData("""{"performed":"ProductViewed","within":"P7D"}""", true)]
    [InlineData("""{"performed":"ProductViewed","where":{"property":"price","gt":50},"within":"P30D","count":{"gte":2}}""", true)]
    [InlineData("""{"performed":"ProductViewed","where":{"property":"sku","startsWith":"top"},"count":{"eq":3}}""", true)]
    [InlineData("""{"notPerformed":"Purchase","within":"PT24H"}""", true)]
    [InlineData("""{"performed":"ProductViewed","since":"entry","count":{"eq":2}}""", true)]
    [InlineData("""{"notPerformed":"Purchase","since":"entry"}""", true)]
    [InlineData("""{"performed":"Purchase","where":{"trait":"loyaltyTier","eq":"gold"}}""", true)]
    public void HistoryTestsAllocateNothing(string condition, bool expected)
    {
        var bytes = AllocatedBytes(Compile(condition), Rich(), out var result);
        Assert.Equal(expected, result);
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void AllAnyNotAndSegmentsAllocateNothing()
    {
        var vip = Compile("""{"trait":"lifetimeSpend","gte":1000}""");
        var condition = Compile("""
            {"all":[
              {"any":[{"trait":"loyaltyTier","in":["silver"]},{"inSegment":"vip"}]},
              {"not":{"property":"sku","eq":"none"}},
              {"all":[{"performed":"StoreVisit","within":"P7D"},{"notPerformed":"Purchase","within":"PT24H"}]},
              {"any":[{"property":"price","lt":10},{"property":"cart.items","gte":3}]}
            ]}
            """, id => id == "vip" ? vip : throw new InvalidOperationException(id));
        var bytes = AllocatedBytes(condition, Rich(), out var result);
        Assert.True(result);
        Assert.Equal(0, bytes);
    }

    [Theory]
    [InlineData("""{"trait":"birthday","anniversaryWithinNext":"P7D"}""", true)]
    [InlineData("""{"trait":"renewsAt","withinNext":"P7D"}""", true)]
    [InlineData("""{"trait":"renewsAt","withinLast":"P7D"}""", false)]
    public void DateTestsAllocateNothing(string condition, bool expected)
    {
        var bytes = AllocatedBytes(Compile(condition), Rich(), out var result);
        Assert.Equal(expected, result);
        Assert.Equal(0, bytes);
    }
}
