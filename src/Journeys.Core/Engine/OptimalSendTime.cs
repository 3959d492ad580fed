using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>
/// <c>sendTime: "optimal"</c>: the local hour at which the person has been most active (most track
/// events; the earlier hour on a tie). No history means no better time than now.
/// </summary>
public static class OptimalSendTime
{
    public static int? BestHour(IReadOnlyList<HistoryEvent> history, TimeZoneInfo zone)
    {
        if (history.Count == 0)
        {
            return null;
        }
        Span<int> counts = stackalloc int[24];
        for (var i = 0; i < history.Count; i++)
        {
            counts[LocalTime.ToLocal(history[i].Timestamp, zone).Hour]++;
        }
        var best = 0;
        for (var h = 1; h < 24; h++)
        {
            if (counts[h] > counts[best]) best = h;
        }
        return best;
    }
}
