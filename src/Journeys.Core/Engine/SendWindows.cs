using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>Where a send <see cref="SendWindow"/> next opens, in the person's timezone.</summary>
public static class SendWindows
{
    /// <summary><paramref name="at"/> itself when inside the window, else the next instant it opens.</summary>
    public static DateTimeOffset NextOpening(SendWindow window, DateTimeOffset at, TimeZoneInfo zone)
    {
        var local = LocalTime.ToLocal(at, zone);
        if (window.Contains(local))
        {
            return at;
        }
        // the next listed day whose opening is still ahead (a week and a day covers every case)
        for (var d = 0; d <= 8; d++)
        {
            var day = local.Date.AddDays(d);
            if (!window.Days.Contains(day.DayOfWeek))
            {
                continue;
            }
            var opening = LocalTime.ToInstant(day.Add(window.From.ToTimeSpan()), zone);
            if (opening > at)
            {
                return opening;
            }
        }
        return at; // no days: the reader refuses such a window
    }
}
