namespace Journeys.Core.Definitions;

/// <summary>
/// A send's opening hours in the person's timezone (DESIGN §9): on <see cref="Days"/>, from
/// <see cref="From"/> (inclusive) to <see cref="Until"/> (exclusive). An until at or before from wraps
/// past midnight, the night belonging to the day it starts on.
/// </summary>
public sealed record SendWindow(IReadOnlySet<DayOfWeek> Days, TimeOnly From, TimeOnly Until)
{
    public static TimeOnly StartOfDay => TimeOnly.MinValue;

    public bool Wraps => Until <= From && !(From == TimeOnly.MinValue && Until == TimeOnly.MinValue);

    /// <summary>Whether a local wall-clock time is inside the window.</summary>
    public bool Contains(DateTime local)
    {
        var time = TimeOnly.FromDateTime(local);
        if (From == TimeOnly.MinValue && Until == TimeOnly.MinValue)
        {
            return Days.Contains(local.DayOfWeek); // 00:00-00:00: the whole day
        }
        if (!Wraps)
        {
            return Days.Contains(local.DayOfWeek) && time >= From && time < Until;
        }
        return (Days.Contains(local.DayOfWeek) && time >= From)
            || (Days.Contains(local.AddDays(-1).DayOfWeek) && time < Until);
    }
}
