using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using static Journeys.Core.Tests.Conditions.ConditionKit;

namespace Journeys.Core.Tests.Conditions;

/// <summary>performed / notPerformed with within, where, count and since:entry; inSegment; all / any / not (DESIGN §4).</summary>
public class HistoryTests
{
    private static readonly DateTimeOffset T = ConditionKit.Now;

    private static bool Run(string condition, IReadOnlyList<HistoryEvent> history, long entrySequence = long.MaxValue) =>
        Compile(condition).Evaluate(Context(history: history, now: T, entrySequence: entrySequence));

    // ---- performed ----

    [Fact]
    public void PerformedHoldsWhenTheEventIsInHistory()
    {
        HistoryEvent[] history = [Event(1, "ProductViewed", T.AddDays(-30)), Event(2, "Purchase", T.AddDays(-400))];
        Assert.True(Run("""{"performed":"ProductViewed"}""", history));
        Assert.True(Run("""{"performed":"Purchase"}""", history)); // no within: all history counts
        Assert.False(Run("""{"performed":"CartAbandoned"}""", history));
        Assert.False(Run("""{"performed":"ProductViewed"}""", []));
    }

    [Fact]
    public void WithinWindowExcludesItsStartAndIncludesNow()
    {
        // the window of within P7D is (now - 7 days, now]
        Assert.False(Run("""{"performed":"ProductViewed","within":"P7D"}""", [Event(1, "ProductViewed", T.AddDays(-7))]));
        Assert.True(Run("""{"performed":"ProductViewed","within":"P7D"}""", [Event(1, "ProductViewed", T.AddDays(-7).AddSeconds(1))]));
        Assert.True(Run("""{"performed":"ProductViewed","within":"P7D"}""", [Event(1, "ProductViewed", T)]));
        Assert.False(Run("""{"performed":"ProductViewed","within":"P7D"}""", [Event(1, "ProductViewed", T.AddDays(-8))]));
    }

    [Fact]
    public void WithinWindowEndsAtNow()
    {
        // (now - within, now]: an event stamped after now is not inside the window
        Assert.False(Run("""{"performed":"ProductViewed","within":"PT24H"}""", [Event(1, "ProductViewed", T.AddMinutes(5))]));
    }

    [Fact]
    public void WithinUsesHours()
    {
        HistoryEvent[] history = [Event(1, "StoreVisit", T.AddHours(-23))];
        Assert.True(Run("""{"performed":"StoreVisit","within":"PT24H"}""", history));
        Assert.False(Run("""{"performed":"StoreVisit","within":"PT22H"}""", history));
    }

    [Fact]
    public void WhereTestsTheHistoryEventsProperties()
    {
        HistoryEvent[] history =
        [
            Event(1, "Purchase", T.AddDays(-3), """{"sku":"X","price":20}"""),
            Event(2, "Purchase", T.AddDays(-2), """{"sku":"Y","price":150}"""),
        ];
        Assert.True(Run("""{"performed":"Purchase","where":{"property":"sku","eq":"y"}}""", history));
        Assert.True(Run("""{"performed":"Purchase","where":{"property":"price","gt":100}}""", history));
        Assert.False(Run("""{"performed":"Purchase","where":{"property":"sku","eq":"Z"}}""", history));
        Assert.False(Run("""{"performed":"Purchase","where":{"property":"price","gt":200}}""", history));
        // the where must hold on one event: sku X and price > 100 are on different events
        Assert.False(Run("""{"performed":"Purchase","where":{"all":[{"property":"sku","eq":"X"},{"property":"price","gt":100}]}}""", history));
    }

    [Fact]
    public void WhereReadsTheHistoryEventNotTheCurrentEvent()
    {
        var compiled = Compile("""{"performed":"Purchase","where":{"property":"sku","eq":"Y"}}""");
        HistoryEvent[] history = [Event(1, "Purchase", T.AddDays(-1), """{"sku":"X"}""")];
        // the current event says sku Y, but the only Purchase in history was X
        Assert.False(compiled.Evaluate(Context(propertiesJson: """{"sku":"Y"}""", history: history)));
    }

    [Fact]
    public void WhereCanTestTraitsToo()
    {
        var compiled = Compile("""{"performed":"Purchase","where":{"trait":"loyaltyTier","eq":"gold"}}""");
        HistoryEvent[] history = [Event(1, "Purchase", T.AddDays(-1))];
        Assert.True(compiled.Evaluate(Context(traitsJson: """{"loyaltyTier":"gold"}""", history: history)));
        Assert.False(compiled.Evaluate(Context(traitsJson: """{"loyaltyTier":"silver"}""", history: history)));
    }

    [Fact]
    public void WhereAndWithinTogether()
    {
        // DESIGN §4: {"performed":"Purchase","where":{"property":"sku","eq":"Y"},"within":"P60D","count":{"gte":2}}
        const string condition = """{"performed":"Purchase","where":{"property":"sku","eq":"Y"},"within":"P60D","count":{"gte":2}}""";
        var y1 = Event(1, "Purchase", T.AddDays(-70), """{"sku":"Y"}""");
        var y2 = Event(2, "Purchase", T.AddDays(-50), """{"sku":"Y"}""");
        var x3 = Event(3, "Purchase", T.AddDays(-10), """{"sku":"X"}""");
        var y4 = Event(4, "Purchase", T.AddDays(-5), """{"sku":"y"}""");
        Assert.False(Run(condition, [y1, y2, x3])); // one Y inside 60 days
        Assert.True(Run(condition, [y1, y2, x3, y4])); // two Y inside 60 days
        Assert.False(Run(condition, [y1, x3, y4])); // the old Y is outside the window
    }

    // ---- count ----

    [Theory]
    [InlineData("gte", 2, 1, false)]
    [InlineData("gte", 2, 2, true)]
    [InlineData("gte", 2, 3, true)]
    [InlineData("gt", 2, 2, false)]
    [InlineData("gt", 2, 3, true)]
    [InlineData("eq", 2, 1, false)]
    [InlineData("eq", 2, 2, true)]
    [InlineData("eq", 2, 3, false)]
    [InlineData("eq", 0, 0, true)]
    [InlineData("lte", 2, 0, true)]
    [InlineData("lte", 2, 2, true)]
    [InlineData("lte", 2, 3, false)]
    [InlineData("lt", 2, 1, true)]
    [InlineData("lt", 2, 2, false)]
    public void Count(string op, int n, int matching, bool expected)
    {
        var history = new List<HistoryEvent>();
        for (var i = 0; i < matching; i++)
        {
            history.Add(Event(history.Count + 1, "ProductViewed", T.AddDays(-1 - i)));
            history.Add(Event(history.Count + 1, "Other", T.AddDays(-1 - i)));
        }
        history.Add(Event(history.Count + 1, "ProductViewed", T.AddDays(-30))); // outside the window
        history.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        var condition = $$$"""{"performed":"ProductViewed","within":"P7D","count":{"{{{op}}}":{{{n}}}}}""";
        Assert.Equal(expected, Run(condition, history));
    }

    [Fact]
    public void DefaultCountIsAtLeastOnce()
    {
        Assert.False(Run("""{"performed":"ProductViewed","within":"P7D"}""", []));
        Assert.True(Run("""{"performed":"ProductViewed","within":"P7D"}""", [Event(1, "ProductViewed", T.AddDays(-1))]));
        Assert.True(Run("""{"performed":"ProductViewed","within":"P7D"}""",
            [Event(1, "ProductViewed", T.AddDays(-3)), Event(2, "ProductViewed", T.AddDays(-2)), Event(3, "ProductViewed", T.AddDays(-1))]));
    }

    [Fact]
    public void CountWithWhereCountsOnlyMatchingEvents()
    {
        HistoryEvent[] history =
        [
            Event(1, "Purchase", T.AddDays(-3), """{"sku":"Y"}"""),
            Event(2, "Purchase", T.AddDays(-2), """{"sku":"X"}"""),
            Event(3, "Purchase", T.AddDays(-1), """{"sku":"X"}"""),
        ];
        Assert.True(Run("""{"performed":"Purchase","where":{"property":"sku","eq":"X"},"count":{"eq":2}}""", history));
        Assert.True(Run("""{"performed":"Purchase","where":{"property":"sku","eq":"Y"},"count":{"eq":1}}""", history));
        Assert.False(Run("""{"performed":"Purchase","where":{"property":"sku","eq":"Y"},"count":{"gte":2}}""", history));
    }

    // ---- since: entry ----

    [Fact]
    public void SinceEntryCountsOnlyEventsAfterTheEntry()
    {
        HistoryEvent[] history =
        [
            Event(1, "Purchase", T.AddDays(-5)),
            Event(2, "ProductViewed", T.AddDays(-4)),
            Event(3, "CartAbandoned", T.AddDays(-3)), // the entry event
            Event(4, "ProductViewed", T.AddDays(-2)),
        ];
        Assert.False(Run("""{"performed":"Purchase","since":"entry"}""", history, entrySequence: 3));
        Assert.True(Run("""{"performed":"ProductViewed","since":"entry"}""", history, entrySequence: 3));
        Assert.True(Run("""{"performed":"ProductViewed","since":"entry","count":{"eq":1}}""", history, entrySequence: 3));
        // the entry event itself (sequence == entrySequence) is not "since entry"
        Assert.False(Run("""{"performed":"CartAbandoned","since":"entry"}""", history, entrySequence: 3));
        // without since, all of history counts
        Assert.True(Run("""{"performed":"Purchase"}""", history, entrySequence: 3));
        Assert.True(Run("""{"performed":"ProductViewed","count":{"eq":2}}""", history, entrySequence: 3));
    }

    [Fact]
    public void SinceEntryIsByOrderNotTime()
    {
        // an event stamped before the entry but arriving after it still counts (Sequence decides)
        HistoryEvent[] history =
        [
            Event(1, "CartAbandoned", T.AddHours(-2)),
            Event(2, "Purchase", T.AddHours(-3)),
        ];
        Assert.True(Run("""{"performed":"Purchase","since":"entry"}""", history, entrySequence: 1));
        Assert.False(Run("""{"performed":"Purchase","since":"entry"}""", history, entrySequence: 2));
    }

    [Fact]
    public void NotPerformedSinceEntry()
    {
        HistoryEvent[] history = [Event(1, "Purchase", T.AddDays(-5)), Event(2, "CartAbandoned", T.AddDays(-1))];
        Assert.True(Run("""{"notPerformed":"Purchase","since":"entry"}""", history, entrySequence: 2));
        Assert.False(Run("""{"notPerformed":"Purchase","since":"entry"}""", history, entrySequence: 0));
    }

    // ---- notPerformed ----

    [Fact]
    public void NotPerformedWithin()
    {
        const string condition = """{"notPerformed":"Purchase","within":"PT24H"}""";
        Assert.True(Run(condition, []));
        Assert.True(Run(condition, [Event(1, "Purchase", T.AddHours(-25))]));
        Assert.True(Run(condition, [Event(1, "Purchase", T.AddHours(-24))])); // the window's open start
        Assert.True(Run(condition, [Event(1, "StoreVisit", T.AddHours(-1))]));
        Assert.False(Run(condition, [Event(1, "Purchase", T.AddHours(-1))]));
        Assert.False(Run(condition, [Event(1, "Purchase", T)]));
    }

    [Fact]
    public void NotPerformedWhere()
    {
        const string condition = """{"notPerformed":"Purchase","where":{"property":"price","gt":100}}""";
        Assert.True(Run(condition, [Event(1, "Purchase", T.AddDays(-1), """{"price":50}""")]));
        Assert.False(Run(condition, [Event(1, "Purchase", T.AddDays(-1), """{"price":"150"}""")]));
    }

    [Fact]
    public void SegmentExampleInStoreAbandoners()
    {
        // DESIGN §4 segment: visited a store in the last day, bought nothing
        const string when = """{"all":[{"performed":"StoreVisit","within":"PT24H"},{"notPerformed":"Purchase","within":"PT24H"}]}""";
        Assert.True(Run(when, [Event(1, "Purchase", T.AddDays(-3)), Event(2, "StoreVisit", T.AddHours(-2))]));
        Assert.False(Run(when, [Event(1, "StoreVisit", T.AddHours(-2)), Event(2, "Purchase", T.AddHours(-1))]));
        Assert.False(Run(when, [Event(1, "StoreVisit", T.AddHours(-30))]));
    }

    // ---- inSegment ----

    [Fact]
    public void InSegmentEvaluatesTheResolvedSegment()
    {
        var asked = new List<string>();
        var vip = Compile("""{"trait":"lifetimeSpend","gte":1000}""");
        var compiled = Compile("""{"inSegment":"vip"}""", id =>
        {
            asked.Add(id);
            return vip;
        });
        Assert.Equal(["vip"], asked);
        Assert.True(compiled.Evaluate(Context(traitsJson: """{"lifetimeSpend":1500}""")));
        Assert.False(compiled.Evaluate(Context(traitsJson: """{"lifetimeSpend":500}""")));
        Assert.False(compiled.Evaluate(Context()));
    }

    [Fact]
    public void InSegmentInsideNotAndHistoryWhere()
    {
        var segments = new Dictionary<string, CompiledCondition>
        {
            ["do-not-contact"] = Compile("""{"trait":"doNotContact","eq":true}"""),
            ["big"] = Compile("""{"property":"price","gt":100}"""),
        };
        var notBlocked = Compile("""{"not":{"inSegment":"do-not-contact"}}""", id => segments[id]);
        Assert.True(notBlocked.Evaluate(Context(traitsJson: """{"doNotContact":false}""")));
        Assert.False(notBlocked.Evaluate(Context(traitsJson: """{"doNotContact":true}""")));

        var bigPurchase = Compile("""{"performed":"Purchase","where":{"inSegment":"big"}}""", id => segments[id]);
        Assert.True(bigPurchase.Evaluate(Context(history: [Event(1, "Purchase", T.AddDays(-1), """{"price":120}""")])));
        Assert.False(bigPurchase.Evaluate(Context(history: [Event(1, "Purchase", T.AddDays(-1), """{"price":20}""")])));
    }

    // ---- all / any / not ----

    [Theory]
    [InlineData(true, true, true, true, false)]
    [InlineData(true, false, false, true, true)]
    [InlineData(false, true, false, true, true)]
    [InlineData(false, false, false, false, true)]
    public void AllAnyNot(bool a, bool b, bool all, bool any, bool notAll)
    {
        var properties = $$"""{"a":{{(a ? "true" : "false")}},"b":{{(b ? "true" : "false")}}}""";
        var context = Context(propertiesJson: properties);
        const string testA = """{"property":"a","eq":true}""";
        const string testB = """{"property":"b","eq":true}""";
        Assert.Equal(all, Eval($$"""{"all":[{{testA}},{{testB}}]}""", context));
        Assert.Equal(any, Eval($$"""{"any":[{{testA}},{{testB}}]}""", context));
        Assert.Equal(notAll, Eval($$$"""{"not":{"all":[{{{testA}}},{{{testB}}}]}}""", context));
        Assert.Equal(!a, Eval($$"""{"not":{{testA}}}""", context));
        Assert.Equal(a, Eval($$$"""{"not":{"not":{{{testA}}}}}""", context));
    }

    [Fact]
    public void SingleItemAllAndAnyAreTheirItem()
    {
        var yes = Context(propertiesJson: """{"x":1}""");
        var no = Context(propertiesJson: """{"x":2}""");
        Assert.True(Eval("""{"all":[{"property":"x","eq":1}]}""", yes));
        Assert.False(Eval("""{"all":[{"property":"x","eq":1}]}""", no));
        Assert.True(Eval("""{"any":[{"property":"x","eq":1}]}""", yes));
        Assert.False(Eval("""{"any":[{"property":"x","eq":1}]}""", no));
    }

    [Fact]
    public void NestedCombinationsMixHistoryTraitsAndProperties()
    {
        const string condition = """
            {"all":[
              {"any":[{"trait":"loyaltyTier","in":["gold","vip"]},{"performed":"Purchase","count":{"gte":3}}]},
              {"not":{"property":"channel","eq":"store"}}
            ]}
            """;
        HistoryEvent[] three = [Event(1, "Purchase", T.AddDays(-3)), Event(2, "Purchase", T.AddDays(-2)), Event(3, "Purchase", T.AddDays(-1))];
        Assert.True(Eval(condition, Context(traitsJson: """{"loyaltyTier":"VIP"}""", propertiesJson: """{"channel":"web"}""")));
        Assert.False(Eval(condition, Context(traitsJson: """{"loyaltyTier":"VIP"}""", propertiesJson: """{"channel":"Store"}""")));
        Assert.True(Eval(condition, Context(traitsJson: """{"loyaltyTier":"silver"}""", history: three)));
        Assert.False(Eval(condition, Context(traitsJson: """{"loyaltyTier":"silver"}""", history: three[..2])));
    }
}
