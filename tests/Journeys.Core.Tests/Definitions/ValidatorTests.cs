using Journeys.Core.Definitions;
using static Journeys.Core.Tests.Definitions.DefinitionKit;

namespace Journeys.Core.Tests.Definitions;

/// <summary>
/// DESIGN §4: "The validator rejects, with the JSON path: unknown step references, unreachable steps,
/// instant loops, percents not summing to 100, bad durations and operators, unknown segments, sends
/// without content for their channel, waits longer than the journey's maxDuration", plus the format
/// decisions (exactly one entry form, unknown fields, unique ids).
/// </summary>
public class ValidatorTests
{
    private const string Exit = """{"type":"exit"}""";

    // ---- step references ----

    [Theory]
    [InlineData("""{"a":{"type":"delay","for":"PT1H","next":"nowhere"}}""", "$.steps.a.next")]
    [InlineData("""{"a":{"type":"send","channel":"sms","content":{"text":"t"},"next":"nowhere"}}""", "$.steps.a.next")]
    [InlineData("""{"a":{"type":"update","traits":{"x":1},"next":"nowhere"}}""", "$.steps.a.next")]
    [InlineData("""{"a":{"type":"waitFor","event":"E","timeout":"PT1H","onEvent":"nowhere"}}""", "$.steps.a.onEvent")]
    [InlineData("""{"a":{"type":"waitFor","event":"E","timeout":"PT1H","onTimeout":"nowhere"}}""", "$.steps.a.onTimeout")]
    [InlineData("""{"a":{"type":"branch","paths":[{"name":"p","when":{"property":"x","eq":1}}],"otherwise":"nowhere"}}""", "$.steps.a.otherwise")]
    [InlineData("""{"a":{"type":"branch","paths":[{"name":"p","when":{"property":"x","eq":1},"next":"nowhere"}]}}""", "$.steps.a.paths[0].next")]
    [InlineData("""{"a":{"type":"split","paths":[{"name":"p","percent":50},{"name":"q","percent":50,"next":"nowhere"}]}}""", "$.steps.a.paths[1].next")]
    public void UnknownStepReference(string steps, string path)
    {
        var problem = AssertProblem(LoadJourney(Journey(steps)), path, "j.journey.json");
        Assert.Contains("nowhere", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownStepReferenceInAStepNamedX()
    {
        var result = LoadJourney(Journey("""{"a":{"type":"delay","for":"PT1H","next":"x"},"x":{"type":"delay","for":"PT1H","next":"y"}}"""));
        AssertProblem(result, "$.steps.x.next");
        Assert.Single(result.Problems);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void UnknownStart()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", start: "begin"));
        Assert.Contains("begin", AssertProblem(result, "$.start").Message, StringComparison.Ordinal);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void UnreachableSteps()
    {
        var result = LoadJourney(Journey("""
            {"a":{"type":"delay","for":"PT1H"},
             "orphan":{"type":"delay","for":"PT1H","next":"orphan2"},
             "orphan2":{"type":"exit"}}
            """));
        AssertProblem(result, "$.steps.orphan");
        AssertProblem(result, "$.steps.orphan2"); // reachable only from an unreachable step
        Assert.DoesNotContain(result.Problems, p => p.Path == "$.steps.a");
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void MergesAreFine()
    {
        // several steps naming the same next (DESIGN §4)
        AssertValid(LoadJourney(Journey("""
            {"a":{"type":"branch","paths":[{"name":"p","when":{"trait":"vip","eq":true},"next":"b"}],"otherwise":"c"},
             "b":{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"next":"d"},
             "c":{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"next":"d"},
             "d":{"type":"delay","for":"P1D"}}
            """)));
    }

    // ---- loops ----

    [Fact]
    public void InstantLoopIsAProblem()
    {
        var result = LoadJourney(Journey("""
            {"check":{"type":"branch","paths":[{"name":"again","when":{"trait":"n","lt":3},"next":"bump"}],"otherwise":"done"},
             "bump":{"type":"update","traits":{"n":1},"next":"check"},
             "done":{"type":"exit"}}
            """, start: "check"));
        var problem = Assert.Single(result.Problems);
        Assert.Contains(problem.Path, new[] { "$.steps.check", "$.steps.bump" });
        Assert.Contains("loop", problem.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void InstantLoopThroughSendAndSplit()
    {
        var result = LoadJourney(Journey("""
            {"s":{"type":"send","channel":"push","content":{"body":"b"},"next":"ab"},
             "ab":{"type":"split","paths":[{"name":"x","percent":50,"next":"s"},{"name":"y","percent":50}]}}
            """, start: "s"));
        var problem = Assert.Single(result.Problems);
        Assert.Contains(problem.Path, new[] { "$.steps.s", "$.steps.ab" });
    }

    [Fact]
    public void LoopThroughADelayIsAllowed()
    {
        AssertValid(LoadJourney(Journey("""
            {"check":{"type":"branch","paths":[{"name":"again","when":{"trait":"n","lt":3},"next":"bump"}],"otherwise":"done"},
             "bump":{"type":"update","traits":{"n":1},"next":"pause"},
             "pause":{"type":"delay","for":"P1D","next":"check"},
             "done":{"type":"exit"}}
            """, start: "check")));
    }

    [Fact]
    public void LoopThroughAWaitForIsAllowed()
    {
        AssertValid(LoadJourney(Journey("""
            {"nudge":{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"next":"wait"},
             "wait":{"type":"waitFor","event":"Purchase","timeout":"P2D","onTimeout":"nudge"}}
            """, start: "nudge")));
    }

    [Fact]
    public void LoopThroughATimeOfDayDelayIsAllowed()
    {
        AssertValid(LoadJourney(Journey("""
            {"tick":{"type":"update","traits":{"t":1},"next":"sleep"},
             "sleep":{"type":"delay","until":"09:00","next":"tick"}}
            """, start: "tick")));
    }

    // ---- split percents ----

    [Theory]
    [InlineData(50, 40)]
    [InlineData(60, 60)]
    [InlineData(99, 0.5)]
    public void PercentsNotSummingTo100(double first, double second)
    {
        var steps = $$"""{"ab":{"type":"split","paths":[{"name":"control","percent":{{first}},"next":"e"},{"name":"treatment","percent":{{second}},"next":"e"}]},"e":{{Exit}}}""";
        var result = LoadJourney(Journey(steps, start: "ab"));
        AssertProblem(result, "$.steps.ab.paths");
        Assert.Empty(result.Journeys);
    }

    [Theory]
    [InlineData("[50,50]")]
    [InlineData("[25,25,50]")]
    [InlineData("[33.3,33.3,33.4]")]
    [InlineData("[10,20,30,40]")]
    [InlineData("[0.5,99.5]")]
    public void PercentsSummingTo100AreFine(string percents)
    {
        var values = System.Text.Json.JsonSerializer.Deserialize<double[]>(percents)!;
        var paths = string.Join(",", values.Select((p, i) => $$"""{"name":"p{{i}}","percent":{{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"next":"e"}"""));
        AssertValid(LoadJourney(Journey($$"""{"ab":{"type":"split","paths":[{{paths}}]},"e":{{Exit}}}""", start: "ab")));
    }

    [Fact]
    public void SplitNeedsTwoPaths()
    {
        var result = LoadJourney(Journey("""{"ab":{"type":"split","paths":[{"name":"all","percent":100}]}}""", start: "ab"));
        AssertProblem(result, "$.steps.ab.paths");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-10")]
    [InlineData("\"50\"")]
    public void SplitPercentMustBeAPositiveNumber(string percent)
    {
        var result = LoadJourney(Journey($$$"""{"ab":{"type":"split","paths":[{"name":"x","percent":100},{"name":"y","percent":{{{percent}}}}]}}""", start: "ab"));
        AssertProblem(result, "$.steps.ab.paths[1].percent");
    }

    // ---- durations ----

    [Theory]
    [InlineData("2 hours")]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("P1H")]
    [InlineData("-PT1H")]
    [InlineData("7")]
    public void BadDelayDuration(string duration)
    {
        var result = LoadJourney(Journey($$$"""{"wait":{"type":"delay","for":"{{{duration}}}"}}""", start: "wait"));
        AssertProblem(result, "$.steps.wait.for");
        Assert.Empty(result.Journeys);
    }

    [Theory]
    [InlineData("""{"wait":{"type":"waitFor","event":"E","timeout":"PT0S"}}""", "", "$.steps.wait.timeout")]
    [InlineData("""{"wait":{"type":"waitFor","event":"E","timeout":"24h"}}""", "", "$.steps.wait.timeout")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "exit":{"maxDuration":"thirty days"}, """, "$.exit.maxDuration")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "reentry":{"mode":"multiple","lock":"P30"}, """, "$.reentry.lock")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "reentry":{"mode":"multiple","cap":{"count":2,"within":"PT0S"}}, """, "$.reentry.cap.within")]
    public void BadDurationsElsewhere(string steps, string extra, string path)
    {
        AssertProblem(LoadJourney(Journey(steps, start: "wait", extra: extra)), path);
    }

    [Fact]
    public void BadDurationInsideConditions()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""",
            entry: """{"event":"Go","where":{"all":[{"performed":"View","within":"P7X"},{"trait":"birthday","anniversaryWithinNext":"7 days"}]}}"""));
        AssertProblem(result, "$.entry.where.all[0].within");
        AssertProblem(result, "$.entry.where.all[1].anniversaryWithinNext");
    }

    [Fact]
    public void BadScheduleEvery()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"schedule":{"at":"2027-01-04T15:00:00Z","every":"weekly"}}"""));
        AssertProblem(result, "$.entry.schedule.every");
    }

    // ---- operators ----

    [Fact]
    public void UnknownOperator()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"event":"Go","where":{"property":"cartValue","greater":50}}"""));
        Assert.Contains(result.Problems, p => p.Path is "$.entry.where.greater" or "$.entry.where");
        AssertProblem(result, "$.entry.where.greater");
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void TwoOperators()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"event":"Go","where":{"property":"cartValue","gt":50,"lt":500}}"""));
        AssertProblem(result, "$.entry.where");
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void NoOperator()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"event":"Go","where":{"property":"cartValue"}}"""));
        AssertProblem(result, "$.entry.where");
    }

    [Theory]
    [InlineData("""{"all":[{"property":"price","gt":true}]}""", "$.entry.where.all[0].gt")]
    [InlineData("""{"all":[{"property":"price","gt":[1]}]}""", "$.entry.where.all[0].gt")]
    [InlineData("""{"trait":"tier","in":"gold"}""", "$.entry.where.in")]
    [InlineData("""{"trait":"tier","notIn":{"a":1}}""", "$.entry.where.notIn")]
    [InlineData("""{"trait":"email","exists":"yes"}""", "$.entry.where.exists")]
    [InlineData("""{"property":"sku","startsWith":5}""", "$.entry.where.startsWith")]
    [InlineData("""{"any":[{"property":"a","eq":1},{"not":{"property":"sku","endsWith":null}}]}""", "$.entry.where.any[1].not.endsWith")]
    public void OperandOfTheWrongKind(string where, string path)
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: $$"""{"event":"Go","where":{{where}}}"""));
        AssertProblem(result, path);
        Assert.Empty(result.Journeys);
    }

    [Theory]
    [InlineData("""{"property":"a","eq":1,"performed":"X"}""", "$.entry.where")] // two forms
    [InlineData("""{}""", "$.entry.where")] // no form
    [InlineData("""{"all":[]}""", "$.entry.where.all")]
    [InlineData("""{"performed":"X","count":{"gte":1,"lte":3}}""", "$.entry.where.count")]
    [InlineData("""{"performed":"X","count":{"most":3}}""", "$.entry.where.count.most")]
    [InlineData("""{"performed":"X","since":"yesterday"}""", "$.entry.where.since")]
    [InlineData("""{"property":"a","withinNext":"P7D"}""", "$.entry.where.withinNext")] // date forms are for traits
    public void MalformedConditions(string where, string path)
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: $$"""{"event":"Go","where":{{where}}}"""));
        AssertProblem(result, path);
    }

    // ---- segments ----

    [Fact]
    public void UnknownSegmentInEntry()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"segment":"ghost"}"""));
        Assert.Contains("ghost", AssertProblem(result, "$.entry.segment").Message, StringComparison.Ordinal);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void UnknownSegmentInScheduleEntry()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"schedule":{"at":"2027-01-04T15:00:00Z"},"segment":"ghost"}"""));
        AssertProblem(result, "$.entry.segment");
    }

    [Fact]
    public void UnknownSegmentInAudience()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", extra: """ "audience":{"include":["ghost","customers"],"exclude":["do-not-contact","phantom"]}, """));
        AssertProblem(result, "$.audience.include[0]");
        AssertProblem(result, "$.audience.exclude[1]");
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void UnknownSegmentInsideWhere()
    {
        var result = LoadJourney(Journey(
            """{"b":{"type":"branch","paths":[{"name":"p","when":{"performed":"Purchase","where":{"inSegment":"ghost"}}}]}}""",
            start: "b",
            entry: """{"event":"Go","where":{"all":[{"property":"x","eq":1},{"inSegment":"phantom"}]}}"""));
        AssertProblem(result, "$.entry.where.all[1].inSegment");
        AssertProblem(result, "$.steps.b.paths[0].when.where.inSegment");
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void KnownSegmentsInConditionsAreFine()
    {
        AssertValid(LoadJourney(Journey(
            """{"b":{"type":"branch","paths":[{"name":"vip","when":{"inSegment":"vip"}}],"otherwise":"c"},"c":{"type":"exit"}}""",
            start: "b",
            entry: """{"event":"Go","where":{"not":{"inSegment":"do-not-contact"}}}""")));
    }

    [Fact]
    public void UnknownSegmentInASegment()
    {
        var result = DefinitionLoader.Load([("a.segment.json", """{"id":"a","when":{"any":[{"trait":"x","exists":true},{"inSegment":"ghost"}]}}""")]);
        AssertProblem(result, "$.when.any[1].inSegment", "a.segment.json");
        Assert.Empty(result.Segments);
    }

    [Fact]
    public void SegmentCycles()
    {
        var result = DefinitionLoader.Load(
        [
            ("a.segment.json", """{"id":"a","when":{"inSegment":"b"}}"""),
            ("b.segment.json", """{"id":"b","when":{"all":[{"trait":"x","exists":true},{"inSegment":"a"}]}}"""),
            ("c.segment.json", """{"id":"c","when":{"inSegment":"c"}}"""),
            ("d.segment.json", """{"id":"d","when":{"inSegment":"a"}}"""),
            ("ok.segment.json", """{"id":"ok","when":{"trait":"x","exists":true}}"""),
            ("uses-ok.segment.json", """{"id":"uses-ok","when":{"inSegment":"ok"}}"""),
        ]);
        Assert.Contains(result.Problems, p => p.File == "a.segment.json");
        Assert.Contains(result.Problems, p => p.File == "b.segment.json");
        Assert.Contains(result.Problems, p => p.File == "c.segment.json");
        Assert.DoesNotContain(result.Problems, p => p.File is "ok.segment.json" or "uses-ok.segment.json");
        var valid = result.Segments.Select(s => s.Id).ToList();
        Assert.DoesNotContain("a", valid);
        Assert.DoesNotContain("b", valid);
        Assert.DoesNotContain("c", valid);
        Assert.Contains("ok", valid);
        Assert.Contains("uses-ok", valid);
    }

    /// <summary>A broken segment, a circular one, two segments and two journeys that use them.</summary>
    private static LoadResult LoadWithInvalidSegments() => DefinitionLoader.Load(
    [
        ("broken.segment.json", """{"id":"broken","when":{"trait":"tier","gt":true}}"""),
        ("loop.segment.json", """{"id":"loop","when":{"inSegment":"loop"}}"""),
        ("needs-broken.segment.json", """{"id":"needs-broken","when":{"inSegment":"broken"}}"""),
        ("needs-loop.segment.json", """{"id":"needs-loop","when":{"inSegment":"loop"}}"""),
        ("j1.journey.json", Journey($$"""{"a":{{Exit}}}""", id: "j1", extra: """ "audience":{"include":["broken"]}, """)),
        ("j2.journey.json", Journey($$"""{"a":{{Exit}}}""", id: "j2", entry: """{"segment":"loop"}""")),
    ]);

    [Fact]
    public void SegmentsThatNeedAnInvalidSegmentAreNotReturnedAsValid()
    {
        // a LoadResult's valid definitions must stand on their own: whatever they refer to is loaded too
        var result = LoadWithInvalidSegments();
        AssertProblem(result, "$.when.gt", "broken.segment.json");
        Assert.Contains(result.Problems, p => p.File == "loop.segment.json");
        var segments = result.Segments.Select(s => s.Id).ToHashSet();
        Assert.DoesNotContain("broken", segments);
        Assert.DoesNotContain("loop", segments);
        Assert.False(segments.Contains("needs-broken"), "segment 'needs-broken' is returned as valid but refers to 'broken', which is not");
        Assert.False(segments.Contains("needs-loop"), "segment 'needs-loop' is returned as valid but refers to 'loop', which is not");
    }

    [Fact]
    public void JourneysThatNeedAnInvalidSegmentAreNotReturnedAsValid()
    {
        var result = LoadWithInvalidSegments();
        Assert.DoesNotContain(result.Journeys, j => j.Id is "j1" or "j2");
    }

    [Fact]
    public void DuplicateSegmentIds()
    {
        var result = DefinitionLoader.Load(
        [
            ("one.segment.json", """{"id":"vip","when":{"trait":"a","exists":true}}"""),
            ("two.segment.json", """{"id":"vip","when":{"trait":"b","exists":true}}"""),
        ]);
        var problem = AssertProblem(result, "$.id");
        Assert.Contains("vip", problem.Message, StringComparison.Ordinal);
    }

    // ---- send content ----

    [Theory]
    [InlineData("""{"type":"send","channel":"sms","content":{}}""", "$.steps.s.content.text")]
    [InlineData("""{"type":"send","channel":"sms","content":{"subject":"s","body":"b"}}""", "$.steps.s.content.text")]
    [InlineData("""{"type":"send","channel":"sms"}""", "$.steps.s.content")]
    [InlineData("""{"type":"send","channel":"email","content":{"subject":"s"}}""", "$.steps.s.content.body")]
    [InlineData("""{"type":"send","channel":"email","content":{"body":"b"}}""", "$.steps.s.content.subject")]
    [InlineData("""{"type":"send","channel":"email","content":{"text":"t"}}""", "$.steps.s.content.subject")]
    [InlineData("""{"type":"send","channel":"push","content":{"title":"t"}}""", "$.steps.s.content.body")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"method":"POST"}}""", "$.steps.s.content.url")]
    [InlineData("""{"type":"send","channel":"preferred","content":{}}""", "$.steps.s.content")]
    [InlineData("""{"type":"send","channel":"preferred"}""", "$.steps.s.content")]
    [InlineData("""{"type":"send","channel":"preferred","content":{"sms":{}}}""", "$.steps.s.content.sms.text")]
    [InlineData("""{"type":"send","channel":"preferred","content":{"text":"t"}}""", "$.steps.s.content")]
    [InlineData("""{"type":"send","channel":"fax","content":{"text":"t"}}""", "$.steps.s.channel")]
    public void SendWithoutContentForItsChannel(string step, string path)
    {
        var result = LoadJourney(Journey($$"""{"s":{{step}}}""", start: "s"));
        AssertProblem(result, path);
        Assert.Empty(result.Journeys);
    }

    [Theory]
    [InlineData("""{"type":"send","channel":"sms","content":{"text":"t"}}""")]
    [InlineData("""{"type":"send","channel":"email","content":{"subject":"s","body":"<p>b</p>"}}""")]
    [InlineData("""{"type":"send","channel":"push","content":{"body":"b"}}""")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"https://example.com"}}""")]
    [InlineData("""{"type":"send","channel":"preferred","content":{"push":{"body":"b"}}}""")]
    [InlineData("""{"type":"send","channel":"preferred","content":{"email":{"subject":"s","body":"b"},"sms":{"text":"t"},"push":{"title":"t","body":"b"}}}""")]
    public void SendWithContentForItsChannel(string step) =>
        AssertValid(LoadJourney(Journey($$"""{"s":{{step}}}""", start: "s")));

    // ---- waits vs maxDuration ----

    [Fact]
    public void WaitsLongerThanMaxDuration()
    {
        var result = LoadJourney(Journey("""
            {"wait":{"type":"delay","for":"P2D","next":"check"},
             "check":{"type":"waitFor","event":"Purchase","timeout":"PT36H","onTimeout":"ok"},
             "ok":{"type":"delay","for":"PT24H"}}
            """, start: "wait", extra: """ "exit":{"maxDuration":"P1D"}, """));
        AssertProblem(result, "$.steps.wait.for");
        AssertProblem(result, "$.steps.check.timeout");
        Assert.DoesNotContain(result.Problems, p => p.Path.StartsWith("$.steps.ok", StringComparison.Ordinal)); // equal is not longer
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void WaitsWithinMaxDurationAreFine()
    {
        AssertValid(LoadJourney(Journey("""{"wait":{"type":"delay","for":"P29D"}}""", start: "wait", extra: """ "exit":{"maxDuration":"P30D"}, """)));
        AssertValid(LoadJourney(Journey("""{"wait":{"type":"delay","for":"P90D"}}""", start: "wait"))); // no maxDuration: no limit
    }

    // ---- entry ----

    [Theory]
    [InlineData("""{"event":"X","segment":"customers"}""")]
    [InlineData("""{"event":"X","schedule":{"at":"2027-01-04T15:00:00Z"}}""")]
    [InlineData("""{}""")]
    [InlineData("""{"where":{"property":"a","eq":1}}""")]
    public void EntryNeedsExactlyOneForm(string entry)
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: entry));
        AssertProblem(result, "$.entry");
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void EntryIsRequired()
    {
        var result = LoadJourney("""{"id":"j","start":"a","steps":{"a":{"type":"exit"}}}""");
        AssertProblem(result, "$.entry");
    }

    // ---- unknown fields ----

    [Theory]
    [InlineData("""{"wait":{"type":"delay","for":"PT1H","nxt":"done"},"done":{"type":"exit"}}""", "", "$.steps.wait.nxt")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "nmae":"Typo", """, "$.nmae")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "goal":{"event":"Purchase","exitt":false}, """, "$.goal.exitt")]
    [InlineData("""{"wait":{"type":"exit"}}""", """ "reentry":{"mode":"once","lok":"P1D"}, """, "$.reentry.lok")]
    [InlineData("""{"wait":{"type":"send","channel":"sms","content":{"text":"t","txt":"u"}}}""", "", "$.steps.wait.content.txt")]
    [InlineData("""{"wait":{"type":"exit","next":"wait"}}""", "", "$.steps.wait.next")]
    [InlineData("""{"wait":{"type":"branch","paths":[{"name":"p","when":{"property":"a","eq":1},"nxt":"wait"}]}}""", "", "$.steps.wait.paths[0].nxt")]
    public void UnknownFieldsAreProblems(string steps, string extra, string path)
    {
        var result = LoadJourney(Journey(steps, start: "wait", extra: extra));
        AssertProblem(result, path);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void UnknownFieldInACondition()
    {
        var result = LoadJourney(Journey($$"""{"a":{{Exit}}}""", entry: """{"event":"Go","where":{"performed":"X","withn":"P1D"}}"""));
        AssertProblem(result, "$.entry.where.withn");
    }

    [Fact]
    public void UnknownFieldInASegment()
    {
        var result = DefinitionLoader.Load([("s.segment.json", """{"id":"s","whenn":{"trait":"a","exists":true},"when":{"trait":"a","exists":true}}""")]);
        AssertProblem(result, "$.whenn", "s.segment.json");
        Assert.Empty(result.Segments);
    }

    [Fact]
    public void UnknownStepType()
    {
        var result = LoadJourney(Journey("""{"a":{"type":"sleep","for":"PT1H"}}"""));
        AssertProblem(result, "$.steps.a.type");
    }

    [Fact]
    public void DelayWithTwoForms()
    {
        var result = LoadJourney(Journey("""{"a":{"type":"delay","for":"PT1H","until":"09:00"}}"""));
        AssertProblem(result, "$.steps.a");
    }

    [Theory]
    [InlineData("9:00")]
    [InlineData("25:00")]
    [InlineData("09:00:00")]
    [InlineData("9am")]
    public void DelayUntilMustBeHHmm(string until)
    {
        var result = LoadJourney(Journey($$$"""{"a":{"type":"delay","until":"{{{until}}}"}}"""));
        AssertProblem(result, "$.steps.a.until");
    }

    // ---- invalid JSON ----

    [Fact]
    public void InvalidJsonReportsLineAndColumn()
    {
        const string json = "{\n  \"id\": \"j\",\n  \"name\": oops,\n  \"start\": \"a\"\n}";
        var result = LoadJourney(json);
        var problem = AssertProblem(result, "$", "j.journey.json");
        Assert.Contains("line 3", problem.Message, StringComparison.Ordinal);
        Assert.Contains("column 11", problem.Message, StringComparison.Ordinal);
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void InvalidJsonInASegmentReportsLine()
    {
        var result = DefinitionLoader.Load([("s.segment.json", "{\"id\":\"s\",\n\"when\": {\"trait\":\"a\",\"exists\":true}\n\n]")]);
        var problem = AssertProblem(result, "$", "s.segment.json");
        Assert.Contains("line 4", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"journey\"")]
    public void NonObjectDefinitions(string json) => AssertProblem(LoadJourney(json), "$", "j.journey.json");

    // ---- ids across files ----

    [Fact]
    public void DuplicateJourneyIdsAcrossFiles()
    {
        var journey = Journey($$"""{"a":{{Exit}}}""", id: "welcome");
        var result = DefinitionLoader.Load([("first/welcome.journey.json", journey), ("second/welcome-copy.journey.json", journey)]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.id", problem.Path);
        Assert.Contains("welcome", problem.Message, StringComparison.Ordinal);
        var other = problem.File == "first/welcome.journey.json" ? "second/welcome-copy.journey.json" : "first/welcome.journey.json";
        Assert.Contains(other, problem.Message, StringComparison.Ordinal); // names the other file
        Assert.Single(result.Journeys);
    }

    [Fact]
    public void SameIdForAJourneyAndASegmentIsFine()
    {
        var result = DefinitionLoader.Load(
        [
            ("vip.journey.json", Journey($$"""{"a":{{Exit}}}""", id: "vip", entry: """{"segment":"vip"}""")),
            ("vip.segment.json", VipSegment),
        ]);
        AssertValid(result);
    }

    // ---- everything is reported ----

    [Fact]
    public void EveryProblemInAFileIsReported()
    {
        var result = LoadJourney(Journey("""
            {"wait":{"type":"delay","for":"2 hours","next":"remind"},
             "remind":{"type":"send","channel":"sms","content":{},"next":"nowhere"},
             "ab":{"type":"split","paths":[{"name":"x","percent":50},{"name":"y","percent":20}]}}
            """,
            start: "wait",
            entry: """{"event":"Go","where":{"property":"price","gt":1,"lt":2}}""",
            extra: """ "audience":{"include":["ghost"]}, "nmae":"typo", """));
        AssertProblem(result, "$.steps.wait.for");
        AssertProblem(result, "$.steps.remind.next");
        AssertProblem(result, "$.steps.remind.content.text");
        AssertProblem(result, "$.steps.ab.paths");
        AssertProblem(result, "$.entry.where");
        AssertProblem(result, "$.audience.include[0]");
        AssertProblem(result, "$.nmae");
        Assert.All(result.Problems, p => Assert.Equal("j.journey.json", p.File));
        Assert.Empty(result.Journeys);
    }

    [Fact]
    public void BadDurationAndUnknownReferenceTogether()
    {
        var result = LoadJourney(Journey("""{"wait":{"type":"delay","for":"PT2X","next":"gone"}}""", start: "wait"));
        AssertProblem(result, "$.steps.wait.for");
        AssertProblem(result, "$.steps.wait.next");
    }

    [Fact]
    public void GraphProblemsAreReportedAlongsideShapeProblems()
    {
        var result = LoadJourney(Journey("""
            {"a":{"type":"send","channel":"email","content":{"subject":"s"}},
             "lost":{"type":"delay","for":"PT1H"}}
            """));
        AssertProblem(result, "$.steps.a.content.body");
        AssertProblem(result, "$.steps.lost");
    }

    [Fact]
    public void ProblemsInOneFileDoNotHideOtherFiles()
    {
        var result = DefinitionLoader.Load(
        [
            ("bad.journey.json", Journey("""{"a":{"type":"delay","for":"nope"}}""", id: "bad")),
            ("good.journey.json", Journey($$"""{"a":{{Exit}}}""", id: "good")),
            ("worse.journey.json", "{"),
        ]);
        AssertProblem(result, "$.steps.a.for", "bad.journey.json");
        AssertProblem(result, "$", "worse.journey.json");
        Assert.Equal("good", Assert.Single(result.Journeys).Id);
    }

    [Fact]
    public void ProblemToStringIsFileColonPathColonMessage()
    {
        var problem = AssertProblem(LoadJourney(Journey($$"""{"a":{{Exit}}}""", start: "b")), "$.start");
        Assert.StartsWith("j.journey.json: $.start: ", problem.ToString(), StringComparison.Ordinal);
    }
}
