using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Engine;

/// <summary>Local-time delays use the profile's timezone (DESIGN §3 reserved trait, §4 delay).</summary>
public sealed class TimeZoneTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private const string NineOClock = """
        {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
          "d":{"type":"delay","until":"09:00","next":"m"},
          "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{profile.userId}}"}}}}
        """;

    [Fact]
    public void Delay_until_nine_is_nine_on_each_users_own_clock()
    {
        var s = Scenario.Create(NineOClock);
        s.Identify("ny", "00:00", new { timezone = "America/New_York" });
        s.Identify("tokyo", "00:00", new { timezone = "Asia/Tokyo" });
        s.Identify("utc", "00:00", new { email = "x@example.com" });
        // 10:00Z = 05:00 in New York (EST), 19:00 in Tokyo
        s.Track("ny", "Go", "10:00");
        s.Track("tokyo", "Go", "10:00");
        s.Track("utc", "Go", "10:00");
        s.Drain();
        s.AssertTraceOf(["sent"],
            "14:00 ny j sent m webhook",          // 09:00 EST the same day
            "+1d 00:00 tokyo j sent m webhook",   // 09:00 JST on Dec 2
            "+1d 09:00 utc j sent m webhook");    // no timezone: UTC
    }

    [Fact]
    public void An_unknown_timezone_falls_back_to_utc()
    {
        var s = Scenario.Create(NineOClock);
        s.Identify("u1", "00:00", new { timezone = "Mars/Olympus_Mons" });
        s.Track("u1", "Go", "08:00");
        s.Drain();
        s.AssertTraceOf(["sent"], "09:00 u1 j sent m webhook");
    }

    [Fact]
    public void Delay_until_with_days_counts_local_calendar_days()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","until":"09:00","days":1,"next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """);
        s.Identify("tokyo", "00:00", new { timezone = "Asia/Tokyo" });
        // 2026-12-01T20:00Z is already Dec 2, 05:00 in Tokyo: one day after "today" is Dec 3
        s.Track("tokyo", "Go", "20:00");
        s.Drain();
        s.AssertTraceOf(["sent"], "+2d 00:00 tokyo j sent m webhook");
    }

    [Fact]
    public void Delay_follows_a_timezone_changed_by_identify_before_the_delay_starts()
    {
        var s = Scenario.Create(NineOClock);
        s.Identify("u1", "00:00", new { timezone = "Asia/Tokyo" });
        s.Identify("u1", "01:00", new { timezone = "America/New_York" });
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTraceOf(["sent"], "14:00 u1 j sent m webhook");
    }

    // ---------------------------------------------------------------- LocalTime and daylight saving time

    [Fact]
    public void ToInstant_of_an_ordinary_local_time_uses_the_offset_in_force()
    {
        Assert.Equal(Utc("2026-07-01T13:00:00Z"), LocalTime.ToInstant(new DateTime(2026, 7, 1, 9, 0, 0), NewYork)); // EDT
        Assert.Equal(Utc("2026-12-01T14:00:00Z"), LocalTime.ToInstant(new DateTime(2026, 12, 1, 9, 0, 0), NewYork)); // EST
        Assert.Equal(Utc("2026-12-01T00:00:00Z"), LocalTime.ToInstant(new DateTime(2026, 12, 1, 9, 0, 0), Tokyo));
    }

    [Fact]
    public void ToInstant_moves_a_time_in_the_spring_forward_gap_forward_by_the_gap()
    {
        // 2026-03-08 02:00 EST -> 03:00 EDT in New York: 02:30 does not exist; it becomes 03:30 EDT
        var instant = LocalTime.ToInstant(new DateTime(2026, 3, 8, 2, 30, 0), NewYork);
        Assert.Equal(Utc("2026-03-08T07:30:00Z"), instant);
        Assert.Equal(new DateTime(2026, 3, 8, 3, 30, 0), LocalTime.ToLocal(instant, NewYork));
    }

    [Fact]
    public void ToInstant_takes_the_earlier_instant_of_a_time_in_the_fall_back_overlap()
    {
        // 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST)
        Assert.Equal(Utc("2026-11-01T05:30:00Z"), LocalTime.ToInstant(new DateTime(2026, 11, 1, 1, 30, 0), NewYork));
    }

    [Fact]
    public void Next_across_the_spring_forward_gap()
    {
        var midnight = Utc("2026-03-08T05:00:00Z"); // 00:00 EST
        // 02:30 that day is skipped: the next one is moved forward by the gap
        Assert.Equal(Utc("2026-03-08T07:30:00Z"), LocalTime.Next(midnight, NewYork, new TimeOnly(2, 30), 0));
        // 09:00 is after the change: EDT
        Assert.Equal(Utc("2026-03-08T13:00:00Z"), LocalTime.Next(midnight, NewYork, new TimeOnly(9, 0), 0));
        // the day before at 09:00 EST, the next 09:00 is on the new offset
        Assert.Equal(Utc("2026-03-08T13:00:00Z"), LocalTime.Next(Utc("2026-03-07T14:00:00Z"), NewYork, new TimeOnly(9, 0), 0));
        // a whole local day after Saturday 09:00 EST is Sunday 09:00 EDT: 23 hours
        Assert.Equal(TimeSpan.FromHours(23),
            LocalTime.Next(Utc("2026-03-07T14:00:00Z"), NewYork, new TimeOnly(9, 0), 1) - Utc("2026-03-07T14:00:00Z"));
    }

    [Fact]
    public void Next_across_the_fall_back_overlap()
    {
        var midnight = Utc("2026-11-01T04:00:00Z"); // 00:00 EDT
        Assert.Equal(Utc("2026-11-01T05:30:00Z"), LocalTime.Next(midnight, NewYork, new TimeOnly(1, 30), 0));
        Assert.Equal(Utc("2026-11-01T14:00:00Z"), LocalTime.Next(midnight, NewYork, new TimeOnly(9, 0), 0)); // EST
        // Saturday 09:00 EDT to Sunday 09:00 EST is 25 hours
        Assert.Equal(TimeSpan.FromHours(25),
            LocalTime.Next(Utc("2026-10-31T13:00:00Z"), NewYork, new TimeOnly(9, 0), 1) - Utc("2026-10-31T13:00:00Z"));
    }

    [Fact]
    public void Next_during_the_repeated_hour_is_the_next_time_the_wall_clock_shows_it()
    {
        // decisions: "the next HH:mm strictly after now". On 2026-11-01 New York's clock shows 01:00-02:00
        // twice. At 01:15 EST (the second pass, 06:15Z) the clock next shows 01:30 fifteen minutes later,
        // at 06:30Z, not the next day; the same holds at 01:45 EDT (the first pass, 05:45Z).
        Assert.Equal(Utc("2026-11-01T06:30:00Z"), LocalTime.Next(Utc("2026-11-01T06:15:00Z"), NewYork, new TimeOnly(1, 30), 0));
        Assert.Equal(Utc("2026-11-01T06:30:00Z"), LocalTime.Next(Utc("2026-11-01T05:45:00Z"), NewYork, new TimeOnly(1, 30), 0));
    }

    [Fact]
    public void Next_is_strictly_after_now()
    {
        var nine = Utc("2026-12-01T14:00:00Z"); // 09:00 EST
        Assert.Equal(Utc("2026-12-02T14:00:00Z"), LocalTime.Next(nine, NewYork, new TimeOnly(9, 0), 0));
        Assert.Equal(Utc("2026-12-01T14:00:00Z"), LocalTime.Next(nine.AddTicks(-1), NewYork, new TimeOnly(9, 0), 0));
    }

    [Fact]
    public void Delay_until_on_the_spring_forward_day_in_the_journey()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","until":"09:00","next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """);
        s.Identify("u1", "2026-03-07T00:00:00Z", new { timezone = "America/New_York" });
        s.Track("u1", "Go", "2026-03-07T15:00:00Z"); // Saturday 10:00 EST
        s.Drain();
        var sent = Assert.Single(s.Trace, r => r.Kind == "sent");
        Assert.Equal(Utc("2026-03-08T13:00:00Z"), sent.At); // Sunday 09:00 EDT
    }
}
