using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>Where a scheduled journey's next run is kept between timer ticks.</summary>
public interface IScheduleStore
{
    /// <summary>Null when the journey has never run; a mark with no <see cref="ScheduleMark.Next"/> once its schedule ended.</summary>
    ScheduleMark? Get(string journeyId);

    void Set(string journeyId, ScheduleMark mark);
}

/// <param name="Next">When the next run is due; null when the schedule has ended.</param>
public sealed record ScheduleMark(DateTimeOffset? Next);

/// <summary>
/// Scheduled entries on a periodic tick (the Azure timer trigger): each journey whose run is due runs
/// once at the tick's time. The next run is recorded before the run, so a crash part-way does not start
/// the run over for everyone; runs missed while nothing ticked are skipped, not caught up.
/// </summary>
public sealed class ScheduledEntries(Func<DefinitionSet> definitions, IScheduleStore marks, EventIngestor ingestor)
{
    /// <returns>The journeys that ran.</returns>
    public IReadOnlyList<string> RunDue(DateTimeOffset now)
    {
        var ran = new List<string>();
        foreach (var journey in definitions().Journeys)
        {
            if (journey.Definition.Entry is not ScheduleEntry schedule)
            {
                continue;
            }
            var due = marks.Get(journey.Id) is { } mark ? mark.Next : schedule.At;
            if (due is not { } runAt || runAt > now)
            {
                continue;
            }
            if (!EventIngestor.ScheduleOpen(journey, now))
            {
                marks.Set(journey.Id, new ScheduleMark(null));
                continue;
            }
            var next = EventIngestor.NextRun(journey, runAt);
            while (next is { } n && n <= now)
            {
                next = EventIngestor.NextRun(journey, n);
            }
            marks.Set(journey.Id, new ScheduleMark(next));
            ingestor.RunSchedule(journey, now);
            ran.Add(journey.Id);
        }
        return ran;
    }
}
