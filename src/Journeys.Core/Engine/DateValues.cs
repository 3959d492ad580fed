using System.Globalization;
using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>Reads a trait or property as an instant, as the date conditions do (DESIGN §9 date delays).</summary>
public static class DateValues
{
    /// <summary>
    /// An ISO date-time (UTC when it carries no offset), or a date-only <c>yyyy-MM-dd</c> meaning midnight
    /// in <paramref name="zone"/>. False for anything else (missing, a number, not a date).
    /// </summary>
    public static bool TryRead(Value value, TimeZoneInfo zone, out DateTimeOffset instant)
    {
        instant = default;
        if (value.AsString is not { Length: > 0 } text)
        {
            return false;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            instant = LocalTime.ToInstant(date.ToDateTime(TimeOnly.MinValue), zone);
            return true;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }
}
