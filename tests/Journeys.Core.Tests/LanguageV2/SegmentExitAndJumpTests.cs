using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>DESIGN §9 exit.segments and the jump step.</summary>
public sealed class SegmentExitAndJumpTests
{
    private static readonly string Vip = Defs.TraitSegment("vip", "tier", "vip");

    private const string VipJourney = """
        {"id":"j","entry":{"event":"Go"},"exit":{"segments":["vip"]},"start":"d","steps":{"d":{"type":"delay","for":"P3D"}}}
        """;

    [Fact]
    public void Leaving_the_segment_ends_the_enrollment()
    {
        var s = Scenario.Create(VipJourney, Vip);
        s.Identify("u1", "09:00", new { tier = "vip" });
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Other", "11:00"); // still vip
        s.Identify("u1", "12:00", new { tier = "gold" });
        s.AssertTrace("10:00 u1 j entered", "12:00 u1 j exited segment");
    }

    [Fact]
    public void Never_having_qualified_is_not_leaving()
    {
        var s = Scenario.Create(VipJourney, Vip);
        s.Identify("u1", "09:00", new { tier = "gold" });
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Other", "11:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+3d 10:00 u1 j completed");
    }

    private const string From = """
        {"id":"a","entry":{"event":"Go"},"start":"w","steps":{
          "w":{"type":"delay","for":"PT1H","next":"go"},"go":{"type":"jump","journey":"b"}}}
        """;

    private const string To = """
        {"id":"b","entry":{"segment":"vip"},"audience":{"exclude":["blocked"]},"start":"hook","steps":{
          "hook":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{event.properties.sku}}"}}}}
        """;

    [Fact]
    public void A_jump_exits_and_enters_the_other_journey_with_the_entry_event()
    {
        var s = Scenario.Create([From, To], [Vip, Defs.TraitSegment("blocked", "blocked", true)]);
        s.Track("u1", "Go", "10:00", new { sku = "TOP-7" });
        s.Drain();
        s.AssertTrace("10:00 u1 a entered", "11:00 u1 a exited jump", "11:00 u1 b entered", "11:00 u1 b sent hook webhook", "11:00 u1 b completed");
        Assert.Equal("https://h.example/TOP-7", s.SingleSend().To);
    }

    [Fact]
    public void A_jump_checks_the_other_journeys_entry_rules()
    {
        var s = Scenario.Create([From, To], [Vip, Defs.TraitSegment("blocked", "blocked", true)]);
        s.Identify("u1", "09:00", new { blocked = true });
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 a entered", "11:00 u1 a exited jump", "11:00 u1 b rejected audience");
    }
}
