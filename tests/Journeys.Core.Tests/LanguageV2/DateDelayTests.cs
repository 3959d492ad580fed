using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>DESIGN §9 delays relative to a date: untilTrait / untilProperty with a signed offset; past and missing go on at once.</summary>
public sealed class DateDelayTests
{
    private static string Journey(string delay) =>
        """{"id":"j","entry":{"event":"Go"},"start":"d","steps":{"d":{""" + delay
        + ""","next":"m"},"m":{"type":"send","channel":"webhook","content":{"url":"https://h.example/x"}} } }""";

    [Fact]
    public void A_trait_date_minus_an_offset_is_waited_for()
    {
        var s = Scenario.Create(Journey(""" "type":"delay","untilTrait":"renewsAt","offset":"-P3D" """));
        s.Identify("u1", "09:00", new { renewsAt = "2026-12-10T15:00:00Z" });
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+6d 15:00 u1 j sent m webhook", "+6d 15:00 u1 j completed");
    }

    [Fact]
    public void A_date_only_value_is_midnight_in_the_users_timezone()
    {
        var s = Scenario.Create(Journey(""" "type":"delay","untilTrait":"renewsAt","offset":"-P1D" """));
        s.Identify("u1", "09:00", new { renewsAt = "2026-12-05", timezone = "America/New_York" });
        s.Track("u1", "Go", "10:00");
        s.Drain();
        // midnight of Dec 5 in New York is 05:00Z; a day before is Dec 4 05:00Z
        s.AssertTrace("10:00 u1 j entered", "+3d 05:00 u1 j sent m webhook", "+3d 05:00 u1 j completed");
    }

    [Fact]
    public void An_entry_event_property_with_a_positive_offset()
    {
        var s = Scenario.Create(Journey(""" "type":"delay","untilProperty":"appointment.at","offset":"-PT2H" """));
        s.Track("u1", "Go", "10:00", new { appointment = new { at = "2026-12-01T18:00:00+01:00" } });
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "15:00 u1 j sent m webhook", "15:00 u1 j completed");
    }

    [Fact]
    public void A_passed_date_goes_on_at_once_with_path_past()
    {
        var s = Scenario.Create(Journey(""" "type":"delay","untilTrait":"renewsAt","offset":"-P3D" """));
        s.Identify("u1", "09:00", new { renewsAt = "2026-12-02T00:00:00Z" });
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path d past", "10:00 u1 j sent m webhook", "10:00 u1 j completed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("soon")]
    [InlineData(12)]
    public void A_missing_or_unreadable_date_goes_on_at_once_with_path_missing(object? value)
    {
        var s = Scenario.Create(Journey(""" "type":"delay","untilTrait":"renewsAt" """));
        if (value is not null) s.Identify("u1", "09:00", new { renewsAt = value });
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path d missing", "10:00 u1 j sent m webhook", "10:00 u1 j completed");
    }
}
