using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>DESIGN §9 "waiting for one of several events": first match in arrival order; one event matching several entries takes the first listed.</summary>
public sealed class WaitForEventsTests
{
    private const string Hook = """{"type":"send","channel":"webhook","content":{"url":"https://h.example/x"}}""";

    private static readonly string Journey = $$"""
        {"id":"j","entry":{"event":"Go"},"start":"w","steps":{
          "w":{"type":"waitFor","timeout":"P1D","onTimeout":"late","events":[
            {"name":"bought","event":"Purchase","next":"thanks"},
            {"name":"clicked","event":"Email Link Clicked","where":{"property":"step","eq":"remind"},"next":"followup"},
            {"event":"Purchase","where":{"property":"price","gt":100},"next":"followup"},
            {"event":"Email Opened"}]},
          "thanks":{{Hook}}, "followup":{{Hook}}, "late":{{Hook}} } }
        """;

    [Fact]
    public void The_first_event_to_match_takes_its_path_named_after_the_entry()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Email Link Clicked", "11:00", new { step = "other" }); // where fails: no path
        s.Track("u1", "Email Link Clicked", "12:00", new { step = "remind" });
        s.Track("u1", "Purchase", "12:30");
        s.AssertTrace("10:00 u1 j entered", "12:00 u1 j path w clicked", "12:00 u1 j sent followup webhook", "12:00 u1 j completed");
    }

    [Fact]
    public void One_event_matching_several_entries_takes_the_first_listed()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "10:00", new { price = 500 });
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path w bought", "10:00 u1 j sent thanks webhook", "10:00 u1 j completed");
    }

    [Fact]
    public void The_name_defaults_to_the_event_and_an_absent_next_completes()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Email Opened", "10:05");
        s.AssertTrace("10:00 u1 j entered", "10:05 u1 j path w Email Opened", "10:05 u1 j completed");
    }

    [Fact]
    public void No_match_in_time_takes_the_timeout()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Other", "11:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+1d 10:00 u1 j path w timeout", "+1d 10:00 u1 j sent late webhook", "+1d 10:00 u1 j completed");
    }
}
