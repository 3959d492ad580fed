using FsCheck;
using FsCheck.Fluent;
using Journeys.Core.Definitions;
using static Journeys.Core.Tests.Definitions.DefinitionKit;

namespace Journeys.Core.Tests.Definitions;

/// <summary>ISO 8601 durations (DESIGN §4: PT2H, P3D), months as calendar months.</summary>
public class IsoDurationTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 10, 8, 30, 0, TimeSpan.Zero);

    private static IsoDuration Parse(string text)
    {
        Assert.True(IsoDuration.TryParse(text, out var d), $"'{text}' should parse");
        Assert.True(d.IsPositive, $"'{text}' should be positive");
        return d;
    }

    [Theory]
    [InlineData("PT2H", 0, 2, 0, 0)]
    [InlineData("PT30M", 0, 0, 30, 0)]
    [InlineData("PT45S", 0, 0, 0, 45)]
    [InlineData("P3D", 3, 0, 0, 0)]
    [InlineData("P1W", 7, 0, 0, 0)]
    [InlineData("P2W", 14, 0, 0, 0)]
    [InlineData("P1DT12H", 1, 12, 0, 0)]
    [InlineData("PT1H30M", 0, 1, 30, 0)]
    [InlineData("P2DT3H4M5S", 2, 3, 4, 5)]
    [InlineData("PT36H", 0, 36, 0, 0)]
    [InlineData("PT90M", 0, 1, 30, 0)]
    public void FixedLengthDurationsAddExactly(string text, int days, int hours, int minutes, int seconds)
    {
        var expected = new TimeSpan(days, hours, minutes, seconds);
        var d = Parse(text);
        Assert.Equal(Start + expected, d.AddTo(Start));
        Assert.Equal(Start - expected, d.SubtractFrom(Start));
        Assert.Equal(expected, d.Approximate);
    }

    [Fact]
    public void OneDayAndTwelveHoursIsThirtySixHours()
    {
        Assert.Equal(Start.AddHours(36), Parse("P1DT12H").AddTo(Start));
        Assert.Equal(Parse("PT36H").AddTo(Start), Parse("P1DT12H").AddTo(Start));
    }

    [Theory]
    [InlineData("2026-01-15", "2026-02-15")] // 31 days
    [InlineData("2026-02-15", "2026-03-15")] // 28 days
    [InlineData("2026-04-15", "2026-05-15")] // 30 days
    [InlineData("2026-12-15", "2027-01-15")] // year wrap
    [InlineData("2026-01-31", "2026-02-28")] // clamped to the month's last day
    [InlineData("2028-01-31", "2028-02-29")] // leap year
    public void OneMonthIsACalendarMonth(string from, string to)
    {
        var start = DateTimeOffset.Parse(from + "T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.Parse(to + "T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(end, Parse("P1M").AddTo(start));
    }

    [Fact]
    public void MonthsAreNotThirtyDays()
    {
        var jan1 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), Parse("P1M").AddTo(jan1));
        Assert.NotEqual(Parse("P30D").AddTo(jan1), Parse("P1M").AddTo(jan1));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), Parse("P1M").SubtractFrom(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void YearsAreCalendarYears()
    {
        Assert.Equal(new DateTimeOffset(2027, 3, 10, 8, 30, 0, TimeSpan.Zero), Parse("P1Y").AddTo(Start));
        Assert.Equal(new DateTimeOffset(2025, 2, 28, 0, 0, 0, TimeSpan.Zero), Parse("P1Y").AddTo(new DateTimeOffset(2024, 2, 29, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void AddingKeepsTheOffset()
    {
        var local = new DateTimeOffset(2026, 3, 10, 8, 30, 0, TimeSpan.FromHours(-5));
        var later = Parse("P1DT2H").AddTo(local);
        Assert.Equal(TimeSpan.FromHours(-5), later.Offset);
        Assert.Equal(local.UtcDateTime.AddHours(26), later.UtcDateTime);
    }

    [Fact]
    public void DateOnlyArithmetic()
    {
        var day = new DateOnly(2026, 12, 28);
        Assert.Equal(new DateOnly(2027, 1, 4), Parse("P7D").AddTo(day));
        Assert.Equal(new DateOnly(2027, 1, 4), Parse("P1W").AddTo(day));
        Assert.Equal(new DateOnly(2027, 1, 28), Parse("P1M").AddTo(day));
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    [InlineData("PT0H0M")]
    [InlineData("P0W")]
    public void ZeroParsesButIsNotPositive(string text)
    {
        Assert.True(IsoDuration.TryParse(text, out var d));
        Assert.False(d.IsPositive);
        Assert.Equal(TimeSpan.Zero, d.Approximate);
    }

    [Theory]
    [InlineData("PT0S")]
    [InlineData("P0D")]
    public void ZeroIsRejectedWhereAPositiveDurationIsRequired(string text)
    {
        var result = LoadJourney(Journey($$$"""{"wait":{"type":"delay","for":"{{{text}}}"}}""", start: "wait"));
        AssertProblem(result, "$.steps.wait.for");
        var check = LoadJourney(Journey($$$"""{"check":{"type":"waitFor","event":"E","timeout":"{{{text}}}"}}""", start: "check"));
        AssertProblem(check, "$.steps.check.timeout");
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("T2H")]
    [InlineData("2H")]
    [InlineData("PT2")]
    [InlineData("P2")]
    [InlineData("P1H")] // hours belong after T
    [InlineData("PT1D")] // days belong before T
    [InlineData("PT1W")]
    [InlineData("P1DT")]
    [InlineData("PT2X")]
    [InlineData("P3X")]
    [InlineData("-P1D")]
    [InlineData("P-1D")]
    [InlineData("P1D2")]
    [InlineData("PT2H ")]
    [InlineData(" PT2H")]
    [InlineData("PTTH")]
    [InlineData("2 hours")]
    [InlineData("1.5 days")]
    [InlineData("00:30:00")]
    [InlineData("P1,5D")]
    [InlineData("P1DT1H1H")]
    public void GarbageIsRejected(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Fact]
    public void NullIsRejected() => Assert.False(IsoDuration.TryParse(null, out _));

    [Fact]
    public void HoursAndDaysAddAsTheirTimeSpans()
    {
        var gen = Gen.Zip(Gen.Choose(0, 400), Gen.Choose(0, 200)).Where(t => t.Item1 + t.Item2 > 0);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (days, hours) = t;
            var text = hours == 0 ? $"P{days}D" : days == 0 ? $"PT{hours}H" : $"P{days}DT{hours}H";
            return IsoDuration.TryParse(text, out var d)
                && d.IsPositive
                && d.AddTo(Start) == Start.AddDays(days).AddHours(hours)
                && d.SubtractFrom(d.AddTo(Start)) == Start;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void WeeksAreSevenDays()
    {
        Prop.ForAll(Gen.Choose(1, 520).ToArbitrary(), weeks =>
            IsoDuration.TryParse($"P{weeks}W", out var w)
            && IsoDuration.TryParse($"P{weeks * 7}D", out var d)
            && w.AddTo(Start) == d.AddTo(Start)).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ToStringParsesBackToTheSameDuration()
    {
        var gen = Gen.Zip(Gen.Zip(Gen.Choose(0, 24), Gen.Choose(0, 60)), Gen.Zip(Gen.Choose(0, 48), Gen.Choose(0, 59)));
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var ((months, days), (hours, minutes)) = t;
            var original = new IsoDuration(months, days, new TimeSpan(hours, minutes, 0));
            return IsoDuration.TryParse(original.ToString(), out var back) && back == original;
        }).QuickCheckThrowOnFailure();
    }
}
