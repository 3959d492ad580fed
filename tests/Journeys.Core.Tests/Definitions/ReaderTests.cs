using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using static Journeys.Core.Tests.Definitions.DefinitionKit;

namespace Journeys.Core.Tests.Definitions;

/// <summary>Reading journey and segment JSON into the model (DESIGN §4 and the format decisions).</summary>
public class ReaderTests
{
    private static JourneyDefinition ReadClean(string json)
    {
        var read = DefinitionReader.ReadJourney("j.journey.json", json);
        Assert.True(read.Problems.Count == 0, string.Join(Environment.NewLine, read.Problems));
        Assert.NotNull(read.Definition);
        return read.Definition;
    }

    [Fact]
    public void ReadsTheDesignExample()
    {
        var j = ReadClean(DesignJourney);
        Assert.Equal("abandoned-cart", j.Id);
        Assert.Equal("Abandoned cart", j.Name);

        var entry = Assert.IsType<EventEntry>(j.Entry);
        Assert.Equal("CartAbandoned", entry.Event);
        var where = Assert.IsType<ValueTest>(entry.Where);
        Assert.Equal(ValueSource.Property, where.Source);
        Assert.Equal("cartValue", where.Path);
        Assert.Equal(Operator.Gt, where.Operator);
        Assert.Equal(50d, where.Operand.AsNumber);

        Assert.NotNull(j.Audience);
        Assert.Equal(["customers"], j.Audience.Include);
        Assert.Equal(["do-not-contact"], j.Audience.Exclude);

        Assert.Equal(ReentryMode.Multiple, j.Reentry.Mode);
        Assert.Equal(new IsoDuration(0, 30, TimeSpan.Zero), j.Reentry.Lock);
        Assert.NotNull(j.Reentry.Cap);
        Assert.Equal(2, j.Reentry.Cap.Count);
        Assert.Equal(new IsoDuration(0, 60, TimeSpan.Zero), j.Reentry.Cap.Within);

        Assert.NotNull(j.Goal);
        Assert.Equal("Purchase", j.Goal.Event);
        Assert.True(j.Goal.Exit);
        Assert.Null(j.Goal.Where);

        Assert.NotNull(j.Exit);
        Assert.Equal("Unsubscribed", Assert.Single(j.Exit.Events).Event);
        Assert.Equal(new IsoDuration(0, 30, TimeSpan.Zero), j.Exit.MaxDuration);

        Assert.Equal("wait", j.Start);
        Assert.Equal(["check", "discount", "remind", "thanks", "wait"], j.Steps.Keys.Order(StringComparer.Ordinal));

        var wait = Assert.IsType<DelayStep>(j.Steps["wait"]);
        Assert.Equal(TimeSpan.FromHours(2), wait.For?.Approximate);
        Assert.Equal("remind", wait.Next);
        Assert.Equal("wait", wait.Id);

        var remind = Assert.IsType<SendStep>(j.Steps["remind"]);
        Assert.Equal(Channel.Email, remind.Channel);
        Assert.Equal("Forgot something, {{profile.firstName}}?", remind.Content[Channel.Email].Fields["subject"]);
        Assert.Equal("...", remind.Content[Channel.Email].Fields["body"]);
        Assert.Equal("check", remind.Next);
        Assert.False(remind.OptimalTime);

        var check = Assert.IsType<WaitForStep>(j.Steps["check"]);
        Assert.Equal("Purchase", check.Event);
        Assert.Equal(TimeSpan.FromHours(24), check.Timeout.Approximate);
        Assert.Equal("thanks", check.OnEvent);
        Assert.Equal("discount", check.OnTimeout);
        Assert.Null(check.Where);

        var discount = Assert.IsType<SendStep>(j.Steps["discount"]);
        Assert.Equal(Channel.Sms, discount.Channel);
        Assert.Equal("10% off: SAVE10", discount.Content[Channel.Sms].Fields["text"]);
        Assert.Null(discount.Next); // no next: the enrollment completes

        var thanks = Assert.IsType<SendStep>(j.Steps["thanks"]);
        Assert.Null(thanks.Next);
    }

    [Fact]
    public void DesignExampleValidatesCleanWithItsSegments()
    {
        var result = LoadJourney(DesignJourney);
        AssertValid(result);
        Assert.Equal("abandoned-cart", Assert.Single(result.Journeys).Id);
        Assert.Equal(["customers", "do-not-contact", "vip"], result.Segments.Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void DesignExampleWithOnlyItsTwoSegments()
    {
        var result = DefinitionLoader.Load(
        [
            ("abandoned-cart.journey.json", DesignJourney),
            ("customers.segment.json", CustomersSegment),
            ("do-not-contact.segment.json", DoNotContactSegment),
        ]);
        AssertValid(result);
        Assert.Single(result.Journeys);
        Assert.Equal(2, result.Segments.Count);
    }

    [Fact]
    public void ReentryDefaultsToOnce()
    {
        var j = ReadClean(Journey("""{"a":{"type":"exit"}}"""));
        Assert.Equal(ReentryMode.Once, j.Reentry.Mode);
        Assert.Null(j.Reentry.Lock);
        Assert.Null(j.Reentry.Cap);
        Assert.Null(j.Goal);
        Assert.Null(j.Exit);
        Assert.Null(j.Audience);
        Assert.Null(j.Window);
        Assert.IsType<ExitStep>(j.Steps["a"]);
    }

    [Fact]
    public void GoalExitDefaultsToTrueAndCanBeFalse()
    {
        var implicitExit = ReadClean(Journey("""{"a":{"type":"exit"}}""", extra: """ "goal":{"event":"Purchase","where":{"property":"price","gt":100}}, """));
        Assert.True(implicitExit.Goal?.Exit);
        Assert.IsType<ValueTest>(implicitExit.Goal?.Where);
        var noExit = ReadClean(Journey("""{"a":{"type":"exit"}}""", extra: """ "goal":{"event":"Purchase","exit":false}, """));
        Assert.False(noExit.Goal?.Exit);
    }

    [Fact]
    public void ReadsSegmentAndScheduleEntries()
    {
        var segment = ReadClean(Journey("""{"a":{"type":"exit"}}""", entry: """{"segment":"vip"}"""));
        Assert.Equal("vip", Assert.IsType<SegmentEntry>(segment.Entry).Segment);

        var scheduled = ReadClean(Journey("""{"a":{"type":"exit"}}""", entry: """{"schedule":{"at":"2027-01-04T15:00:00Z","every":"P7D"},"segment":"vip"}"""));
        var schedule = Assert.IsType<ScheduleEntry>(scheduled.Entry);
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 15, 0, 0, TimeSpan.Zero), schedule.At);
        Assert.Equal(new IsoDuration(0, 7, TimeSpan.Zero), schedule.Every);
        Assert.Equal("vip", schedule.Segment);

        var once = ReadClean(Journey("""{"a":{"type":"exit"}}""", entry: """{"schedule":{"at":"2027-01-04T15:00:00+01:00"}}"""));
        var onceSchedule = Assert.IsType<ScheduleEntry>(once.Entry);
        Assert.Equal(new DateTimeOffset(2027, 1, 4, 14, 0, 0, TimeSpan.Zero), onceSchedule.At);
        Assert.Null(onceSchedule.Every);
        Assert.Null(onceSchedule.Segment);
    }

    [Fact]
    public void ReadsWindow()
    {
        var j = ReadClean(Journey("""{"a":{"type":"exit"}}""", extra: """ "window":{"from":"2026-11-20T00:00:00Z","until":"2026-12-24T23:59:59-05:00"}, """));
        Assert.NotNull(j.Window);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero), j.Window.From);
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 4, 59, 59, TimeSpan.Zero), j.Window.Until);
    }

    [Fact]
    public void ReadsEveryStepType()
    {
        var j = ReadClean(Journey("""
            {
              "a": {"type":"delay","until":"09:30","days":2,"next":"b"},
              "b": {"type":"delay","untilDate":"2026-12-24T09:00:00Z","next":"c"},
              "c": {"type":"branch","paths":[{"name":"big","when":{"property":"price","gt":100},"next":"d"}],"otherwise":"e"},
              "d": {"type":"split","paths":[{"name":"control","percent":50,"next":"e"},{"name":"treatment","percent":50,"next":"f"}]},
              "e": {"type":"update","traits":{"stage":"nurture","score":null},"next":"f"},
              "f": {"type":"send","channel":"preferred","sendTime":"optimal",
                    "content":{"email":{"subject":"S","body":"<p>B</p>"},"sms":{"text":"T"}},"next":"g"},
              "g": {"type":"send","channel":"webhook","content":{"url":"https://example.com/hook","method":"PUT","headers":{"X-Key":"k"},"body":"{}"},"next":"h"},
              "h": {"type":"send","channel":"push","content":{"title":"Hi","body":"There"},"next":"i"},
              "i": {"type":"waitFor","event":"Purchase","where":{"property":"sku","eq":"Y"},"timeout":"P3D","onEvent":"z"},
              "z": {"type":"exit"}
            }
            """));

        var a = Assert.IsType<DelayStep>(j.Steps["a"]);
        Assert.Equal(new TimeOnly(9, 30), a.Until);
        Assert.Equal(2, a.Days);
        Assert.Null(a.For);

        var b = Assert.IsType<DelayStep>(j.Steps["b"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 24, 9, 0, 0, TimeSpan.Zero), b.UntilDate);

        var c = Assert.IsType<BranchStep>(j.Steps["c"]);
        var path = Assert.Single(c.Paths);
        Assert.Equal("big", path.Name);
        Assert.Equal("d", path.Next);
        Assert.IsType<ValueTest>(path.When);
        Assert.Equal("e", c.Otherwise);

        var d = Assert.IsType<SplitStep>(j.Steps["d"]);
        Assert.Equal(["control", "treatment"], d.Paths.Select(p => p.Name));
        Assert.Equal([50d, 50d], d.Paths.Select(p => p.Percent));

        var e = Assert.IsType<UpdateStep>(j.Steps["e"]);
        Assert.Equal("nurture", e.Traits["stage"].AsString);
        Assert.Equal(ValueKind.Null, e.Traits["score"].Kind); // kept: null removes the trait when merged

        var f = Assert.IsType<SendStep>(j.Steps["f"]);
        Assert.Equal(Channel.Preferred, f.Channel);
        Assert.True(f.OptimalTime);
        Assert.Equal("T", f.Content[Channel.Sms].Fields["text"]);
        Assert.Equal("<p>B</p>", f.Content[Channel.Email].Fields["body"]);
        Assert.False(f.Content.ContainsKey(Channel.Push));

        var g = Assert.IsType<SendStep>(j.Steps["g"]);
        Assert.Equal(Channel.Webhook, g.Channel);
        Assert.Equal("https://example.com/hook", g.Content[Channel.Webhook].Fields["url"]);
        Assert.Equal("PUT", g.Content[Channel.Webhook].Fields["method"]);
        Assert.Equal("k", g.Content[Channel.Webhook].Headers["X-Key"]);

        var h = Assert.IsType<SendStep>(j.Steps["h"]);
        Assert.Equal("Hi", h.Content[Channel.Push].Fields["title"]);

        var i = Assert.IsType<WaitForStep>(j.Steps["i"]);
        Assert.Equal(new IsoDuration(0, 3, TimeSpan.Zero), i.Timeout);
        Assert.Equal("z", i.OnEvent);
        Assert.Null(i.OnTimeout); // absent: that path completes the enrollment
        Assert.IsType<ValueTest>(i.Where);
    }

    [Fact]
    public void ReadsHistoryConditions()
    {
        var read = DefinitionReader.ReadSegment("s.segment.json", """
            {"id":"s","when":{"all":[
              {"performed":"Purchase","where":{"property":"sku","eq":"Y"},"within":"P60D","count":{"gte":2}},
              {"notPerformed":"Purchase","within":"PT24H"},
              {"performed":"Purchase","since":"entry"},
              {"not":{"inSegment":"vip"}},
              {"any":[{"trait":"birthday","anniversaryWithinNext":"P7D"},{"trait":"renewsAt","withinNext":"P7D"},{"trait":"lastSeen","withinLast":"P30D"}]}
            ]}}
            """);
        Assert.Empty(read.Problems);
        var all = Assert.IsType<AllOf>(read.Definition?.When);
        Assert.Equal(5, all.Conditions.Count);

        var performed = Assert.IsType<HistoryTest>(all.Conditions[0]);
        Assert.Equal("Purchase", performed.Event);
        Assert.False(performed.Negated);
        Assert.IsType<ValueTest>(performed.Where);
        Assert.Equal(new IsoDuration(0, 60, TimeSpan.Zero), performed.Within);
        Assert.Equal(new CountTest(CountOperator.Gte, 2), performed.Count);
        Assert.False(performed.SinceEntry);

        var notPerformed = Assert.IsType<HistoryTest>(all.Conditions[1]);
        Assert.True(notPerformed.Negated);
        Assert.Equal(TimeSpan.FromHours(24), notPerformed.Within?.Approximate);

        var since = Assert.IsType<HistoryTest>(all.Conditions[2]);
        Assert.True(since.SinceEntry);
        Assert.Null(since.Within);
        Assert.Equal(CountTest.AtLeastOnce, since.Count);

        var not = Assert.IsType<NotOf>(all.Conditions[3]);
        Assert.Equal("vip", Assert.IsType<InSegment>(not.Condition).SegmentId);
        Assert.Contains(read.SegmentReferences, r => r.Segment == "vip");

        var any = Assert.IsType<AnyOf>(all.Conditions[4]);
        Assert.Equal([DateTestKind.AnniversaryWithinNext, DateTestKind.WithinNext, DateTestKind.WithinLast],
            any.Conditions.Select(c => Assert.IsType<DateTest>(c).Kind));
    }

    [Fact]
    public void ReadsTheDesignSegmentExample()
    {
        var read = DefinitionReader.ReadSegment("in-store-abandoners.segment.json", """
            {"id":"in-store-abandoners","name":"Visited a store in the last day, bought nothing",
             "when":{"all":[{"performed":"StoreVisit","within":"PT24H"},
                            {"notPerformed":"Purchase","within":"PT24H"}]}}
            """);
        Assert.Empty(read.Problems);
        Assert.Equal("in-store-abandoners", read.Definition?.Id);
        Assert.Equal("Visited a store in the last day, bought nothing", read.Definition?.Name);
        var all = Assert.IsType<AllOf>(read.Definition?.When);
        Assert.Equal([false, true], all.Conditions.Select(c => Assert.IsType<HistoryTest>(c).Negated));
    }

    [Fact]
    public void SchemaAndDescriptionAreAllowedOnJourneysStepsAndSegments()
    {
        var journey = Journey(
            """{"a":{"type":"delay","description":"pause","for":"PT1H","next":"b"},"b":{"type":"exit","description":"done"}}""",
            extra: """ "$schema":"../schemas/journey.schema.json","description":"a test journey", """);
        AssertValid(LoadJourney(journey));

        var segment = DefinitionReader.ReadSegment("s.segment.json", """{"$schema":"x","description":"d","id":"s","when":{"trait":"a","exists":true}}""");
        Assert.Empty(segment.Problems);
    }

    [Theory]
    [InlineData("abandoned-cart")]
    [InlineData("cart_v2.1")]
    [InlineData("A9")]
    public void JourneyIdsMayUseLettersDigitsDashUnderscoreDot(string id) =>
        Assert.Equal(id, ReadClean(Journey("""{"a":{"type":"exit"}}""", id: id)).Id);

    [Theory]
    [InlineData("my journey")]
    [InlineData("cart/v2")]
    [InlineData("ü")]
    public void JourneyIdsWithOtherCharactersAreProblems(string id)
    {
        var result = LoadJourney(Journey("""{"a":{"type":"exit"}}""", id: id));
        AssertProblem(result, "$.id");
    }
}
