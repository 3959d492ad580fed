using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Engine;

/// <summary>Send policies from configuration (DESIGN §4 send: "frequency caps and quiet hours from configuration defer or suppress") and sendTime optimal.</summary>
public sealed class PolicyTests
{
    private static readonly EngineOptions Quiet = new()
    {
        QuietHours = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0), new HashSet<Channel> { Channel.Email, Channel.Sms }),
    };

    private static IsoDuration Duration(string text)
    {
        Assert.True(IsoDuration.TryParse(text, out var d));
        return d;
    }

    private static string OneSend(string id, string channel, string content, string extra = "") => $$"""
        {"id":"{{id}}","entry":{"event":"Go"},{{extra}}"start":"m","steps":{
          "m":{"type":"send","channel":"{{channel}}","content":{{content}} } } }
        """;

    private const string Email = """{"subject":"S","body":"B"}""";

    [Fact]
    public void Quiet_hours_defer_a_send_to_their_end_in_the_users_timezone()
    {
        var s = Scenario.Create([OneSend("j", "email", Email)], options: Quiet);
        s.Identify("u1", "00:00", new { email = "a@example.com", timezone = "America/New_York" });
        // 2026-12-02T03:00Z is 22:00 EST on Dec 1: quiet until 08:00 EST = 13:00Z
        s.Track("u1", "Go", "+1d 03:00");
        s.AdvanceTo("+1d 12:59");
        s.AssertTrace("+1d 03:00 u1 j entered", "+1d 03:00 u1 j deferred m email until +1d 13:00");
        Assert.Empty(s.Sends);
        s.Drain();
        s.AssertTrace("+1d 03:00 u1 j entered", "+1d 03:00 u1 j deferred m email until +1d 13:00", "+1d 13:00 u1 j sent m email", "+1d 13:00 u1 j completed");
        Assert.Equal(Times.At("+1d 13:00"), s.SingleSend().At);
    }

    [Fact]
    public void Quiet_hours_after_midnight_defer_to_the_same_mornings_end()
    {
        var s = Scenario.Create([OneSend("j", "email", Email)], options: Quiet);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "02:00");
        s.Drain();
        s.AssertTrace("02:00 u1 j entered", "02:00 u1 j deferred m email until 08:00", "08:00 u1 j sent m email", "08:00 u1 j completed");
    }

    [Fact]
    public void Outside_quiet_hours_a_send_goes_at_once()
    {
        var s = Scenario.Create([OneSend("j", "email", Email)], options: Quiet);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "08:00");
        s.AssertTrace("08:00 u1 j entered", "08:00 u1 j sent m email", "08:00 u1 j completed");
    }

    [Fact]
    public void Quiet_hours_apply_only_to_their_channels_and_never_to_webhooks()
    {
        var s = Scenario.Create(
            [OneSend("a", "push", """{"body":"B"}"""), OneSend("b", "webhook", """{"url":"https://h.example"}""")],
            options: Quiet);
        s.Identify("u1", "00:00", new { pushToken = "t" });
        s.Track("u1", "Go", "23:00");
        s.AssertTraceOf(["sent"], "23:00 u1 a sent m push", "23:00 u1 b sent m webhook");
    }

    [Fact]
    public void Quiet_hours_deferral_keeps_the_send_suppression_rules()
    {
        // the deferral is for a message that would otherwise go: a send with no address is suppressed at once
        var s = Scenario.Create([OneSend("j", "email", Email)], options: Quiet);
        s.Track("u1", "Go", "23:00");
        s.AssertTrace("23:00 u1 j entered", "23:00 u1 j suppressed m email no-address", "23:00 u1 j completed");
    }

    [Fact]
    public void Frequency_cap_suppresses_sends_over_the_cap_across_journeys()
    {
        var options = new EngineOptions { FrequencyCap = new FrequencyCap(2, Duration("P1D")) };
        var s = Scenario.Create(
            [OneSend("a", "email", Email), OneSend("b", "email", Email), OneSend("c", "sms", """{"text":"T"}""")],
            options: options);
        s.Identify("u1", "00:00", new { email = "a@example.com", phone = "+1", consent = new { sms = true } });
        s.Identify("u2", "00:00", new { email = "b@example.com" });
        s.Track("u1", "Go", "10:00");
        s.Track("u2", "Go", "10:00");
        s.AssertTraceOf(["sent", "suppressed"],
            "10:00 u1 a sent m email",
            "10:00 u1 b sent m email",
            "10:00 u1 c suppressed m sms frequency-cap",
            "10:00 u2 a sent m email",
            "10:00 u2 b sent m email",
            "10:00 u2 c suppressed m sms no-address");
        Assert.Equal(4, s.Sends.Count);
    }

    [Fact]
    public void Frequency_cap_counts_within_a_sliding_period_and_within_one_journey()
    {
        var options = new EngineOptions { FrequencyCap = new FrequencyCap(1, Duration("P1D")) };
        var s = Scenario.Create([
            """
            {"id":"j","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"m","steps":{
              "m":{"type":"send","channel":"email","content":{"subject":"S","body":"B"},"next":"n"},
              "n":{"type":"send","channel":"email","content":{"subject":"S","body":"B"}}}}
            """], options: options);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "+1d 09:00");
        s.Track("u1", "Go", "+2d 11:00");
        s.AssertTraceOf(["sent", "suppressed"],
            "10:00 u1 j sent m email",
            "10:00 u1 j suppressed n email frequency-cap",
            "+1d 09:00 u1 j suppressed m email frequency-cap",
            "+1d 09:00 u1 j suppressed n email frequency-cap",
            "+2d 11:00 u1 j sent m email",
            "+2d 11:00 u1 j suppressed n email frequency-cap");
    }

    [Fact]
    public void Frequency_cap_does_not_count_or_stop_webhooks()
    {
        var options = new EngineOptions { FrequencyCap = new FrequencyCap(1, Duration("P1D")) };
        var s = Scenario.Create(
            [OneSend("a", "webhook", """{"url":"https://h.example"}"""), OneSend("b", "email", Email), OneSend("c", "webhook", """{"url":"https://h.example"}""")],
            options: options);
        s.Identify("u1", "00:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "10:00");
        s.AssertTraceOf(["sent", "suppressed"], "10:00 u1 a sent m webhook", "10:00 u1 b sent m email", "10:00 u1 c sent m webhook");
    }

    private const string OptimalJourney = """
        {"id":"j","entry":{"event":"Go"},"start":"m","steps":{
          "m":{"type":"send","channel":"email","sendTime":"optimal","content":{"subject":"S","body":"B"}}}}
        """;

    [Fact]
    public void Send_time_optimal_defers_to_the_users_most_active_local_hour()
    {
        var s = Scenario.Create(OptimalJourney);
        s.Identify("u1", "-5d 00:00", new { email = "a@example.com", timezone = "Asia/Tokyo" });
        // most active at 18:xx Tokyo time = 09:xx UTC
        s.Track("u1", "Browse", "-4d 09:10");
        s.Track("u1", "Browse", "-3d 09:20");
        s.Track("u1", "Browse", "-2d 09:50");
        s.Track("u1", "Browse", "-2d 02:00");
        // enters at 03:00Z = 12:00 Tokyo: the message waits for 18:00 Tokyo
        s.Track("u1", "Go", "03:00");
        s.AdvanceTo("08:59");
        Assert.Empty(s.Sends);
        s.Drain();
        s.AssertTraceOf(["entered", "sent", "completed"], "03:00 u1 j entered", "09:00 u1 j sent m email", "09:00 u1 j completed");
    }

    [Fact]
    public void Send_time_optimal_after_todays_best_hour_waits_for_tomorrows()
    {
        var s = Scenario.Create(OptimalJourney);
        s.Identify("u1", "-5d 00:00", new { email = "a@example.com" });
        s.Track("u1", "Browse", "-4d 07:10");
        s.Track("u1", "Browse", "-3d 07:20");
        s.Track("u1", "Go", "12:00");
        s.Drain();
        s.AssertTraceOf(["sent"], "+1d 07:00 u1 j sent m email");
    }

    [Fact]
    public void Send_time_optimal_in_the_best_hour_sends_at_once()
    {
        var s = Scenario.Create(OptimalJourney);
        s.Identify("u1", "-5d 00:00", new { email = "a@example.com" });
        s.Track("u1", "Browse", "-4d 07:10");
        s.Track("u1", "Browse", "-3d 07:20");
        s.Track("u1", "Go", "07:40");
        s.AssertTraceOf(["sent"], "07:40 u1 j sent m email");
    }
}
