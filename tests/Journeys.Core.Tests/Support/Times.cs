using System.Globalization;

namespace Journeys.Core.Tests.Support;

/// <summary>
/// Compact instants for tests. Every scenario starts on <see cref="Day0"/> (2026-12-01, UTC):
/// <c>"10:00"</c> is Day0 at 10:00Z, <c>"+2d 09:30"</c> two days later, <c>"-1d 18:00"</c> the day
/// before; a full ISO 8601 string (with offset) is taken as it is. <see cref="Format"/> writes the
/// same short form, so expected traces read like the timeline they describe.
/// </summary>
public static class Times
{
    public static readonly DateTimeOffset Day0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(string text)
    {
        text = text.Trim();
        if (text.Length > 10 && text.Contains('T', StringComparison.Ordinal))
        {
            return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
        }
        var days = 0;
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var time = parts[^1];
        if (parts.Length == 2)
        {
            var d = parts[0];
            if (!d.EndsWith('d'))
            {
                throw new FormatException($"bad day offset in '{text}' (use +Nd)");
            }
            days = int.Parse(d[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        var clock = TimeSpan.ParseExact(time, time.Length > 5 ? @"hh\:mm\:ss" : @"hh\:mm", CultureInfo.InvariantCulture);
        return Day0.AddDays(days).Add(clock);
    }

    public static string Format(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        var days = (utc.Date - Day0.UtcDateTime.Date).Days;
        var clock = utc.ToString(utc.Second != 0 || utc.Millisecond != 0 ? "HH:mm:ss.FFF" : "HH:mm", CultureInfo.InvariantCulture).TrimEnd('.');
        return days == 0 ? clock : $"{(days > 0 ? "+" : "")}{days}d {clock}";
    }

    public static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
