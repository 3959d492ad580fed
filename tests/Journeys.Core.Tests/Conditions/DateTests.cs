using static Journeys.Core.Tests.Conditions.ConditionKit;

namespace Journeys.Core.Tests.Conditions;

/// <summary>
/// The date forms of a trait test (DESIGN §4): withinNext, withinLast and anniversaryWithinNext
/// ("the calendar days from today to the trait's next month-day, in the user's timezone, are
/// between 0 and 7" for P7D).
/// </summary>
public class DateTests
{
    private const string Birthday7 = """{"trait":"birthday","anniversaryWithinNext":"P7D"}""";

    private static bool At(string condition, string traitsJson, DateTimeOffset now) =>
        Compile(condition).Evaluate(Context(traitsJson: traitsJson, now: now));

    private static string Traits(string birthday, string timezone = "UTC") => $$"""{"birthday":"{{birthday}}","timezone":"{{timezone}}"}""";

    // ---- anniversaryWithinNext ----

    [Theory]
    [InlineData("1990-06-10", true)] // day 0: today
    [InlineData("1990-06-11", true)]
    [InlineData("1990-06-16", true)]
    [InlineData("1990-06-17", true)] // day 7
    [InlineData("1990-06-18", false)] // day 8
    [InlineData("1990-06-09", false)] // yesterday: the next one is a year away
    [InlineData("1985-12-25", false)]
    public void AnniversaryWithinNextSevenDaysIncludesDayZeroAndDaySeven(string birthday, bool expected)
    {
        // 2026-06-10 at 12:00 UTC; a UTC profile's "today" is 10 June
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, At(Birthday7, Traits(birthday), now));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(23)]
    public void AnniversaryIsAboutTheLocalDayNotTheHour(int hour)
    {
        // at any hour of 10 June (UTC profile), a birthday on 17 June is 7 calendar days away
        var now = new DateTimeOffset(2026, 6, 10, hour, 59, 59, TimeSpan.Zero);
        Assert.True(At(Birthday7, Traits("2000-06-17"), now));
        Assert.False(At(Birthday7, Traits("2000-06-18"), now));
        Assert.True(At(Birthday7, Traits("2000-06-10"), now));
    }

    [Theory]
    [InlineData("1990-01-03", true)] // Dec 28 -> Jan 3: 6 days
    [InlineData("1990-01-04", true)] // 7 days
    [InlineData("1990-01-05", false)] // 8 days
    [InlineData("1990-12-31", true)]
    [InlineData("1990-12-28", true)] // day 0
    [InlineData("1990-12-27", false)]
    public void AnniversaryWrapsTheYear(string birthday, bool expected)
    {
        var now = new DateTimeOffset(2026, 12, 28, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, At(Birthday7, Traits(birthday), now));
    }

    [Theory]
    [InlineData(2027, 2, 21, true)] // common year: 29 Feb falls on 28 Feb, 7 days later
    [InlineData(2027, 2, 20, false)] // 8 days
    [InlineData(2027, 2, 28, true)] // day 0
    [InlineData(2027, 3, 1, false)] // just passed: next is 29 Feb 2028
    [InlineData(2028, 2, 22, true)] // leap year: 29 Feb is 7 days later
    [InlineData(2028, 2, 21, false)] // leap year: 8 days (it does not fall on the 28th)
    [InlineData(2028, 2, 29, true)]
    [InlineData(2028, 2, 23, true)]
    public void LeapDayBirthday(int year, int month, int day, bool expected)
    {
        var now = new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, At(Birthday7, Traits("1992-02-29"), now));
    }

    [Fact]
    public void LeapDayBirthdayInLateFebruaryOfACommonYearBeforeLeapYear()
    {
        // 2027-02-25: 28 Feb 2027 is 3 days away
        Assert.True(At(Birthday7, Traits("2000-02-29"), new DateTimeOffset(2027, 2, 25, 12, 0, 0, TimeSpan.Zero)));
        // 2027-12-30: next 29 Feb is 2028-02-29, far away
        Assert.False(At(Birthday7, Traits("2000-02-29"), new DateTimeOffset(2027, 12, 30, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void TimezoneDecidesWhatTodayIs()
    {
        // 2026-06-10T20:00Z is 11 June 08:00 in Auckland (UTC+12) and 10 June 13:00 in Los Angeles (UTC-7)
        var now = new DateTimeOffset(2026, 6, 10, 20, 0, 0, TimeSpan.Zero);

        // 18 June: 7 days from Auckland's 11 June, 8 days from Los Angeles' 10 June
        Assert.True(At(Birthday7, Traits("1990-06-18", "Pacific/Auckland"), now));
        Assert.False(At(Birthday7, Traits("1990-06-18", "America/Los_Angeles"), now));

        // 10 June: today in Los Angeles (day 0), yesterday in Auckland
        Assert.True(At(Birthday7, Traits("1990-06-10", "America/Los_Angeles"), now));
        Assert.False(At(Birthday7, Traits("1990-06-10", "Pacific/Auckland"), now));
    }

    [Fact]
    public void NoTimezoneMeansUtc()
    {
        // 2026-06-10T23:30-07:00 is 11 June 06:30 UTC
        var now = new DateTimeOffset(2026, 6, 10, 23, 30, 0, TimeSpan.FromHours(-7));
        Assert.True(At(Birthday7, """{"birthday":"1990-06-18"}""", now)); // 7 days from 11 June
        Assert.False(At(Birthday7, """{"birthday":"1990-06-10"}""", now)); // yesterday in UTC
        Assert.True(At(Birthday7, """{"birthday":"1990-06-10","timezone":"America/Los_Angeles"}""", now));
    }

    [Fact]
    public void FullTimestampTraitUsesItsMonthDay()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(At(Birthday7, Traits("1990-06-15T12:00:00Z"), now));
        Assert.True(At(Birthday7, Traits("1990-06-17T12:00:00Z"), now));
        Assert.False(At(Birthday7, Traits("1990-06-18T12:00:00Z"), now));
        Assert.False(At(Birthday7, Traits("1990-06-09T12:00:00Z"), now));
    }

    [Fact]
    public void ShorterAndLongerAnniversaryWindows()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(At("""{"trait":"birthday","anniversaryWithinNext":"P1D"}""", Traits("1990-06-11"), now));
        Assert.False(At("""{"trait":"birthday","anniversaryWithinNext":"P1D"}""", Traits("1990-06-12"), now));
        Assert.True(At("""{"trait":"birthday","anniversaryWithinNext":"P30D"}""", Traits("1990-07-10"), now));
        Assert.False(At("""{"trait":"birthday","anniversaryWithinNext":"P30D"}""", Traits("1990-07-11"), now));
    }

    [Theory]
    [InlineData("""{"nickname":"Bee"}""")] // trait missing
    [InlineData("""{"birthday":"not a date"}""")]
    [InlineData("""{"birthday":19900610}""")]
    [InlineData("""{"birthday":true}""")]
    public void AnniversaryOfSomethingThatIsNotADateIsFalse(string traits)
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.False(At(Birthday7, traits, now));
    }

    // ---- withinNext / withinLast ----

    [Fact]
    public void WithinNextOnTimestamps()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        const string condition = """{"trait":"renewsAt","withinNext":"P7D"}""";
        Assert.True(At(condition, """{"renewsAt":"2026-06-13T09:00:00Z"}""", now));
        Assert.True(At(condition, """{"renewsAt":"2026-06-17T11:59:59Z"}""", now));
        Assert.False(At(condition, """{"renewsAt":"2026-06-17T12:00:01Z"}""", now));
        Assert.False(At(condition, """{"renewsAt":"2026-07-01T00:00:00Z"}""", now));
        Assert.False(At(condition, """{"renewsAt":"2026-06-09T12:00:00Z"}""", now)); // in the past
        Assert.True(At(condition, """{"renewsAt":"2026-06-17T13:00:00+02:00"}""", now)); // 11:00Z, offsets respected
    }

    [Fact]
    public void WithinLastOnTimestamps()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        const string condition = """{"trait":"lastSeen","withinLast":"P30D"}""";
        Assert.True(At(condition, """{"lastSeen":"2026-06-01T00:00:00Z"}""", now));
        Assert.True(At(condition, """{"lastSeen":"2026-05-11T12:00:01Z"}""", now));
        Assert.False(At(condition, """{"lastSeen":"2026-05-11T11:59:59Z"}""", now));
        Assert.False(At(condition, """{"lastSeen":"2026-06-11T12:00:00Z"}""", now)); // in the future
        Assert.True(At(condition, """{"lastSeen":"2026-06-10T11:00:00Z"}""", now));
    }

    [Fact]
    public void WithinNextAndLastOnDateOnlyValues()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(At("""{"trait":"renewsAt","withinNext":"P7D"}""", """{"renewsAt":"2026-06-15"}""", now));
        Assert.True(At("""{"trait":"renewsAt","withinNext":"P7D"}""", """{"renewsAt":"2026-06-17"}""", now));
        Assert.False(At("""{"trait":"renewsAt","withinNext":"P7D"}""", """{"renewsAt":"2026-06-19"}""", now));
        Assert.False(At("""{"trait":"renewsAt","withinNext":"P7D"}""", """{"renewsAt":"2026-06-01"}""", now));
        Assert.True(At("""{"trait":"lastSeen","withinLast":"P30D"}""", """{"lastSeen":"2026-05-20"}""", now));
        Assert.False(At("""{"trait":"lastSeen","withinLast":"P30D"}""", """{"lastSeen":"2026-05-01"}""", now));
        Assert.False(At("""{"trait":"lastSeen","withinLast":"P30D"}""", """{"lastSeen":"2026-06-20"}""", now));
    }

    [Fact]
    public void WithinNextInMonthsIsCalendar()
    {
        // P1M from 10 June is 10 July: 9 July is inside, 11 July is not
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.True(At("""{"trait":"renewsAt","withinNext":"P1M"}""", """{"renewsAt":"2026-07-09T12:00:00Z"}""", now));
        Assert.False(At("""{"trait":"renewsAt","withinNext":"P1M"}""", """{"renewsAt":"2026-07-11T12:00:00Z"}""", now));
    }

    [Fact]
    public void DateOnlyValueIsADayInTheProfilesTimezone()
    {
        // withinLast P1D at 2026-06-10T20:00Z: in Auckland it is already 11 June 08:00, so the date
        // "2026-06-11" (local midnight, 10 June 12:00Z) is in the past; in Los Angeles it is still 10 June
        // 13:00 and "2026-06-11" (local midnight, 11 June 07:00Z) is in the future.
        var now = new DateTimeOffset(2026, 6, 10, 20, 0, 0, TimeSpan.Zero);
        const string condition = """{"trait":"d","withinLast":"P1D"}""";
        Assert.True(At(condition, """{"d":"2026-06-11","timezone":"Pacific/Auckland"}""", now));
        Assert.False(At(condition, """{"d":"2026-06-11","timezone":"America/Los_Angeles"}""", now));
    }

    [Fact]
    public void MissingDateTraitIsFalseForEveryDateForm()
    {
        var now = new DateTimeOffset(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);
        Assert.False(At("""{"trait":"renewsAt","withinNext":"P7D"}""", "{}", now));
        Assert.False(At("""{"trait":"lastSeen","withinLast":"P7D"}""", "{}", now));
        Assert.False(At(Birthday7, "{}", now));
        Assert.True(At("""{"not":{"trait":"lastSeen","withinLast":"P7D"}}""", "{}", now));
    }
}
