using Journeys.Core.Definitions;

namespace Journeys.Core.Runtime;

/// <summary>
/// Entries per journey across users, in total and per UTC day: what a journey's <c>limits</c> are checked against
/// (DESIGN §10). The part of <see cref="IJourneyCounters"/> that the Azure ingestion keeps (in its counters table).
/// </summary>
public interface IEntryCounters
{
    long EntriesTotal(string journeyId);

    /// <summary>Entries into the journey on the UTC calendar day <paramref name="day"/>.</summary>
    long EntriesOn(string journeyId, DateOnly day);

    void RecordEntry(string journeyId, DateTimeOffset at);

    /// <summary>
    /// Counts an entry at <paramref name="at"/> if <paramref name="limits"/> allow one more (<see cref="JourneyLimits.Allows"/>),
    /// as one step: where several writers count at once, two can never both take the last one. This default
    /// is for a runtime that is the only writer (the single-node runtime checks and records in one transaction).
    /// </summary>
    /// <returns>Whether it was counted; false: the entry is over a limit.</returns>
    bool TryRecordEntry(string journeyId, DateTimeOffset at, JourneyLimits limits)
    {
        if (!limits.Allows(EntriesTotal(journeyId), EntriesOn(journeyId, DateOnly.FromDateTime(at.UtcDateTime))))
        {
            return false;
        }
        RecordEntry(journeyId, at);
        return true;
    }
}
