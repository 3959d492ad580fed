using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// Which enrollments and entry ledgers the Azure ingestion reads for a decision (<see cref="PartitionScope"/>),
/// from the event and the definitions alone, before the read: those of the journeys the event can reach
/// (<see cref="DefinitionSet.VersionsReactingTo"/>, a keyed one's only of the event's key), the ones it can
/// enter (the entry's ledger and the rows the active check looks at) and those of the streaming segments'
/// journeys (entered on joining, exited on leaving: any event can change a membership). An event that concerns
/// no journey reads no enrollment at all.
/// </summary>
public static class IngestionScope
{
    public static PartitionScope ForEvent(DefinitionSet set, CustomerEvent e)
    {
        var scope = PartitionScope.Create();
        foreach (var segment in set.StreamingSegments)
        {
            foreach (var journey in set.EnteredBySegment(segment))
            {
                Entry(scope, journey, e);
            }
            foreach (var journeyId in set.ExitedBySegment(segment))
            {
                scope.AllOf(journeyId);
            }
        }
        if (e.Type != EventType.Track)
        {
            return scope; // only a track event reaches an enrollment or enters by event
        }
        var reacting = set.VersionsReactingTo(e.Event!);
        for (var i = 0; i < reacting.Count; i++)
        {
            var version = reacting[i];
            if (version.EntryKeyPath is { } path)
            {
                // EntryKeys.Reaches: an event with the key reaches that key's enrollments and the keyless ones
                if (EntryKeys.Of(path, e.Properties) is { } key)
                {
                    scope.KeyOf(version.Id, key, keyless: true);
                }
                else
                {
                    scope.AllOf(version.Id);
                }
            }
            else if (Keyed(set, version.Id, reacting))
            {
                scope.KeyOf(version.Id, key: null, keyless: true); // an unkeyed version's enrollments are the keyless ones
            }
            else
            {
                scope.AllOf(version.Id);
            }
        }
        foreach (var journey in set.EnteredByEvent(e.Event!))
        {
            Entry(scope, journey, e);
        }
        return scope;
    }

    /// <summary>What an entry into <paramref name="journey"/> alone needs (a scheduled run's, a jump's).</summary>
    public static PartitionScope ForEntry(CompiledJourney journey, CustomerEvent? entryEvent) =>
        Entry(PartitionScope.Create(), journey, entryEvent);

    /// <summary>
    /// The entry's ledger and what the active check reads: an unkeyed journey's active enrollment (any), a keyed
    /// one's latest of the key (<see cref="EntryRules.ActiveEnrollmentId"/>).
    /// </summary>
    private static PartitionScope Entry(PartitionScope scope, CompiledJourney journey, CustomerEvent? entryEvent)
    {
        var key = EntryRules.KeyOf(journey, entryEvent);
        scope.Ledger(EntryRules.Scope(journey, key));
        return journey.EntryKeyPath is null ? scope.AllOf(journey.Id) : scope.KeyOf(journey.Id, key, keyless: key is null);
    }

    private static bool Keyed(DefinitionSet set, string journeyId, IReadOnlyList<CompiledJourney> reacting)
    {
        if (set.Journey(journeyId)?.EntryKeyPath is not null)
        {
            return true;
        }
        foreach (var version in reacting)
        {
            if (version.EntryKeyPath is not null && string.Equals(version.Id, journeyId, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
