namespace Journeys.Core.Engine;

/// <summary>Wall-clock arithmetic in a person's timezone, with daylight-saving gaps and overlaps resolved.</summary>
public static class LocalTime
{
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>
    /// The instant a local date and time happen. A time skipped by a spring-forward gap moves forward
    /// by the gap; a time that happens twice in the autumn takes the first (earlier) instant.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var shifted = local;
            while (zone.IsInvalidTime(shifted))
            {
                shifted = shifted.AddMinutes(15);
            }
            var offsetAfter = zone.GetUtcOffset(shifted);
            // the instant whose wall clock, read with the pre-gap offset, would be `local`
            return new DateTimeOffset(local, zone.GetUtcOffset(local.AddHours(-3))).ToOffset(offsetAfter);
        }
        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var larger = offsets.Max();
            return new DateTimeOffset(local, larger);
        }
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>
    /// The next <paramref name="time"/> of day: with <paramref name="days"/> 0 the first instant
    /// strictly after <paramref name="now"/> at which the wall clock shows it (in the autumn's repeated
    /// hour that may be its second showing); with n > 0, n local calendar days after today.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset now, TimeZoneInfo zone, TimeOnly time, int days)
    {
        var today = ToLocal(now, zone).Date;
        if (days > 0)
        {
            return ToInstant(today.AddDays(days).Add(time.ToTimeSpan()), zone);
        }
        var local = DateTime.SpecifyKind(today.Add(time.ToTimeSpan()), DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            foreach (var offset in zone.GetAmbiguousTimeOffsets(local).OrderDescending())
            {
                var instant = new DateTimeOffset(local, offset);
                if (instant > now) return instant;
            }
        }
        else if (ToInstant(local, zone) is var candidate && candidate > now)
        {
            return candidate;
        }
        return ToInstant(today.AddDays(1).Add(time.ToTimeSpan()), zone);
    }
}
