using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>DESIGN §9 send windows, and the deferred record of every deferral.</summary>
public sealed class SendWindowTests
{
    private static string Journey(string window, string channel = "email")
    {
        var content = channel == "webhook" ? """{"url":"https://h.example/x"}""" : """{"subject":"S","body":"B"}""";
        return """{"id":"j","entry":{"event":"Go"},"start":"m","steps":{"m":{"type":"send","channel":""" + "\"" + channel + "\",\"window\":" + window
            + ",\"content\":" + content + ""","next":"after"},"after":{"type":"send","channel":"webhook","content":{"url":"https://h.example/after"}} } }""";
    }

    private const string Weekdays = """{"days":["mon","tue","wed","thu","fri"],"from":"09:00","until":"18:00"}""";

    [Fact]
    public void Inside_the_window_the_send_goes_at_once()
    {
        var s = Scenario.Create(Journey(Weekdays));
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "10:00"); // Tuesday 10:00 UTC
        s.AssertTraceOf(["sent", "deferred"], "10:00 u1 j sent m email", "10:00 u1 j sent after webhook");
    }

    [Fact]
    public void Outside_it_the_send_and_the_enrollment_wait_for_the_next_opening_in_the_users_timezone()
    {
        var s = Scenario.Create(Journey(Weekdays));
        s.Identify("u1", "00:00", new { email = "a@example.com", timezone = "America/New_York" });
        // Friday Dec 4, 23:30Z = 18:30 in New York: closed until Monday 09:00 EST = Dec 7 14:00Z
        s.Track("u1", "Go", "+3d 23:30");
        s.AdvanceTo("+6d 13:59");
        s.AssertTrace("+3d 23:30 u1 j entered", "+3d 23:30 u1 j deferred m email until +6d 14:00");
        s.Drain();
        s.AssertTrace("+3d 23:30 u1 j entered", "+3d 23:30 u1 j deferred m email until +6d 14:00",
            "+6d 14:00 u1 j sent m email", "+6d 14:00 u1 j sent after webhook", "+6d 14:00 u1 j completed");
    }

    [Fact]
    public void A_window_applies_to_webhooks_too()
    {
        var s = Scenario.Create(Journey("""{"days":["wed"]}""", channel: "webhook"));
        s.Track("u1", "Go", "10:00"); // Tuesday
        s.AssertTraceOf(["deferred"], "10:00 u1 j deferred m webhook until +1d 00:00");
    }

    [Fact]
    public void A_window_past_midnight_belongs_to_the_day_it_opens()
    {
        var s = Scenario.Create(Journey("""{"days":["mon"],"from":"22:00","until":"02:00"}"""));
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "01:00"); // Tuesday 01:00 is Monday night's window
        s.AssertTraceOf(["sent", "deferred"], "01:00 u1 j sent m email", "01:00 u1 j sent after webhook");
    }

    [Fact]
    public void Quiet_hours_and_the_window_together_move_on_until_both_allow()
    {
        var quiet = new EngineOptions { QuietHours = new QuietHours(new TimeOnly(21, 0), new TimeOnly(10, 0), new HashSet<Channel> { Channel.Email }) };
        var s = Scenario.Create([Journey("""{"days":["wed"],"from":"08:00","until":"12:00"}""")], options: quiet);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "23:00"); // Tuesday night: window Wed 08:00, quiet until 10:00
        s.Drain();
        s.AssertTraceOf(["sent", "deferred"], "23:00 u1 j deferred m email until +1d 10:00", "+1d 10:00 u1 j sent m email", "+1d 10:00 u1 j sent after webhook");
    }

    [Fact]
    public void Send_time_optimal_records_its_deferral_with_until()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"m","steps":{
              "m":{"type":"send","channel":"email","sendTime":"optimal","content":{"subject":"S","body":"B"}}}}
            """);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "View", "15:00");
        s.Track("u1", "View", "15:10"); // 15:00 is the busiest hour, even counting Go itself
        s.Track("u1", "Go", "+1d 09:00");
        s.AssertTraceOf(["deferred"], "+1d 09:00 u1 j deferred m email until +1d 15:00");
    }
}
