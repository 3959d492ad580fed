using Journeys.Core.Definitions;
using Journeys.Core.Tests.Definitions;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>Every new mistake of DESIGN §9 named with its JSON path.</summary>
public sealed class ValidationTests
{
    private static LoadResult Step(string step) => DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":""" + step + ""","b":{"type":"exit"}}"""));

    [Theory]
    [InlineData("""{"type":"waitFor","timeout":"P1D","event":"A","events":[{"event":"B"}]}""", "$.steps.a")]
    [InlineData("""{"type":"waitFor","timeout":"P1D"}""", "$.steps.a")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","events":[]}""", "$.steps.a.events")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","events":[{"event":"A","next":"b"},{"event":"A"}]}""", "$.steps.a.events[1].event")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","events":[{"name":"x","event":"A"},{"name":"x","event":"B"}]}""", "$.steps.a.events[1].name")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","events":[{"name":"timeout","event":"A"}]}""", "$.steps.a.events[0].name")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","events":[{"event":"A","next":"zz"}]}""", "$.steps.a.events[0].next")]
    [InlineData("""{"type":"waitFor","timeout":"P1D","onEvent":"b","events":[{"event":"A"}]}""", "$.steps.a.onEvent")]
    [InlineData("""{"type":"delay","untilTrait":"renewsAt","offset":"three days"}""", "$.steps.a.offset")]
    [InlineData("""{"type":"delay","for":"P1D","offset":"-P1D"}""", "$.steps.a.offset")]
    [InlineData("""{"type":"delay","untilTrait":"a","untilProperty":"b"}""", "$.steps.a")]
    [InlineData("""{"type":"delay","untilTrait":"a..b"}""", "$.steps.a.untilTrait")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"from":"09:00"}}""", "$.steps.a.window.days")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":[]}}""", "$.steps.a.window.days")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["monday"]}}""", "$.steps.a.window.days[0]")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon","mon"]}}""", "$.steps.a.window.days[1]")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon"],"from":"9am"}}""", "$.steps.a.window.from")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon"],"until":"24:00"}}""", "$.steps.a.window.until")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon"],"from":"09:00","until":"09:00"}}""", "$.steps.a.window.until")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon"],"at":"09:00"}}""", "$.steps.a.window.at")]
    [InlineData("""{"type":"jump"}""", "$.steps.a.journey")]
    [InlineData("""{"type":"jump","journey":"nowhere"}""", "$.steps.a.journey")]
    public void A_step_mistake_is_named_at_its_path(string step, string path)
    {
        DefinitionKit.AssertProblem(Step(step), path);
    }

    [Theory]
    [InlineData("""{"type":"waitFor","timeout":"P1D","onTimeout":"b","events":[{"name":"bought","event":"Purchase","next":"b"},{"event":"Email Opened","where":{"property":"step","eq":"a"}}]}""")]
    [InlineData("""{"type":"delay","untilTrait":"renewsAt","offset":"-P3D","next":"b"}""")]
    [InlineData("""{"type":"delay","untilProperty":"appointmentAt","offset":"+PT2H","next":"b"}""")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"window":{"days":["mon","fri"],"from":"22:00","until":"02:00"},"next":"b"}""")]
    public void The_new_forms_are_valid(string step)
    {
        DefinitionKit.AssertValid(Step(step));
    }

    [Theory]
    [InlineData("""{"segment":"vip","key":"cartId"}""")]
    [InlineData("""{"schedule":{"at":"2026-12-01T00:00:00Z"},"key":"cartId"}""")]
    public void A_key_on_a_non_event_entry_is_refused(string entry)
    {
        DefinitionKit.AssertProblem(DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":{"type":"exit"}}""", entry: entry)), "$.entry.key");
    }

    [Fact]
    public void An_empty_key_path_is_refused()
    {
        DefinitionKit.AssertProblem(DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":{"type":"exit"}}""", entry: """{"event":"Go","key":""}""")), "$.entry.key");
    }

    [Fact]
    public void Exit_segments_must_exist()
    {
        var result = DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":{"type":"exit"}}""", extra: """ "exit":{"segments":["vip","nope"]}, """));
        DefinitionKit.AssertProblem(result, "$.exit.segments[1]");
        Assert.Single(result.Problems);
    }

    private static string Jumper(string id, string steps) => DefinitionKit.Journey(steps, id: id);

    [Fact]
    public void A_cycle_of_jumps_with_no_wait_is_refused_in_each_file()
    {
        var result = DefinitionLoader.Load([
            ("a.journey.json", Jumper("a", """{"a":{"type":"jump","journey":"b"}}""")),
            ("b.journey.json", Jumper("b", """{"a":{"type":"update","traits":{"x":1},"next":"j"},"j":{"type":"jump","journey":"a"}}""")),
        ]);
        Assert.Contains("jump cycle", DefinitionKit.AssertProblem(result, "$.steps.a.journey", "a.journey.json").Message);
        DefinitionKit.AssertProblem(result, "$.steps.j.journey", "b.journey.json");
    }

    [Fact]
    public void A_jump_to_itself_with_no_wait_is_a_cycle_and_a_wait_breaks_it()
    {
        var self = DefinitionLoader.Load([("a.journey.json", Jumper("a", """{"a":{"type":"jump","journey":"a"}}"""))]);
        DefinitionKit.AssertProblem(self, "$.steps.a.journey");
        var waited = DefinitionLoader.Load([
            ("a.journey.json", Jumper("a", """{"a":{"type":"jump","journey":"b"}}""")),
            ("b.journey.json", Jumper("b", """{"a":{"type":"delay","for":"P1D","next":"j"},"j":{"type":"jump","journey":"a"}}""")),
        ]);
        DefinitionKit.AssertValid(waited);
    }
}
