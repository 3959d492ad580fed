using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Engine;

/// <summary>
/// DESIGN §4: when an event arrives for an active enrollment, goal first, then exit events, then the
/// pending waitFor; <c>converted</c> before <c>exited</c> at one instant; maxDuration and stop.
/// </summary>
public sealed class PrecedenceTests
{
    private static string Journey(string goal = "", string exit = "") => $$"""
        {"id":"j","entry":{"event":"Go"},{{goal}}{{exit}}"start":"w","steps":{
          "w":{"type":"waitFor","event":"Purchase","timeout":"PT24H","onEvent":"yes","onTimeout":"no"},
          "yes":{"type":"send","channel":"webhook","content":{"url":"https://h.example/yes"},"next":"w2"},
          "w2":{"type":"waitFor","event":"Purchase","timeout":"PT24H"},
          "no":{"type":"send","channel":"webhook","content":{"url":"https://h.example/no"} }
        } }
        """;

    [Fact]
    public void Goal_wins_over_exit_events_and_waitFor_for_the_same_event()
    {
        var s = Scenario.Create(Journey(
            goal: """ "goal":{"event":"Purchase"}, """,
            exit: """ "exit":{"events":[{"event":"Purchase"}]}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j converted", "11:00 u1 j exited goal");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void Exit_events_win_over_waitFor_for_the_same_event()
    {
        var s = Scenario.Create(Journey(exit: """ "exit":{"events":[{"event":"Purchase"}]}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j exited event");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void Exit_event_where_is_checked_against_the_arriving_event()
    {
        var s = Scenario.Create(Journey(exit: """ "exit":{"events":[{"event":"Purchase","where":{"property":"refund","eq":true}}]}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00", new { refund = false });
        s.Track("u1", "Purchase", "12:00", new { refund = true });
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j path w event", "11:00 u1 j sent yes webhook", "12:00 u1 j exited event");
    }

    [Fact]
    public void Goal_without_exit_records_converted_once_and_the_journey_continues()
    {
        var s = Scenario.Create(Journey(goal: """ "goal":{"event":"Purchase","exit":false}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.Track("u1", "Purchase", "12:00");
        s.Drain();
        s.AssertTrace(
            "10:00 u1 j entered",
            "11:00 u1 j converted",
            "11:00 u1 j path w event",
            "11:00 u1 j sent yes webhook",
            "12:00 u1 j path w2 event",
            "12:00 u1 j completed");
    }

    [Fact]
    public void Goal_without_exit_then_an_exit_event_gives_converted_before_exited_at_one_instant()
    {
        var s = Scenario.Create(Journey(
            goal: """ "goal":{"event":"Purchase","exit":false}, """,
            exit: """ "exit":{"events":[{"event":"Purchase"}]}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j converted", "11:00 u1 j exited event");
    }

    [Fact]
    public void Goal_where_filters_and_a_goal_event_counts_while_in_a_delay()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"goal":{"event":"Purchase","where":{"property":"price","gt":100}},
             "start":"d","steps":{
               "d":{"type":"delay","for":"P2D","next":"m"},
               "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00", new { price = 50 });
        s.Track("u1", "Purchase", "12:00", new { price = 150 });
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "12:00 u1 j converted", "12:00 u1 j exited goal");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void Max_duration_exits_on_a_timer_without_any_event()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"exit":{"maxDuration":"P3D"},"start":"d","steps":{
              "d":{"type":"delay","for":"PT25H","next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"},"next":"d"}}}
            """);
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace(
            "10:00 u1 j entered",
            "+1d 11:00 u1 j sent m webhook",
            "+2d 12:00 u1 j sent m webhook",
            "+3d 10:00 u1 j exited max-duration");
    }

    [Fact]
    public void Max_duration_cuts_a_pending_waitFor_short()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"exit":{"maxDuration":"PT30H"},"start":"d","steps":{
              "d":{"type":"delay","for":"PT12H","next":"w"},
              "w":{"type":"waitFor","event":"Purchase","timeout":"PT24H","onTimeout":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """);
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+1d 16:00 u1 j exited max-duration");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void Stop_exits_every_active_enrollment_with_stopped_and_nothing_follows()
    {
        var s = Scenario.Create([
            """
            {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","for":"P1D","next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """,
            """
            {"id":"k","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","for":"P1D","next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """]);
        s.Track("u1", "Go", "10:00");
        s.Track("u2", "Go", "11:00");
        s.Stop("j", "12:00");
        s.Drain();
        s.AssertTrace(
            "10:00 u1 j entered",
            "10:00 u1 k entered",
            "11:00 u2 j entered",
            "11:00 u2 k entered",
            "12:00 u1 j exited stopped",
            "12:00 u2 j exited stopped",
            "+1d 10:00 u1 k sent m webhook",
            "+1d 10:00 u1 k completed",
            "+1d 11:00 u2 k sent m webhook",
            "+1d 11:00 u2 k completed");
    }
}
