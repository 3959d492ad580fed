using Journeys.Core.Engine;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>The runtime's stores in memory: the simulator's, and the reference the store conformance tests hold others to.</summary>
public static class InMemoryStores
{
    /// <summary>The per-user stores share one table of users (see <see cref="InMemoryUsers"/>).</summary>
    public static RuntimeStores Create() => Create(keepFinished: true);

    /// <summary>
    /// The simulator's stores: as <see cref="Create()"/>, except that a finished enrollment is dropped
    /// (the runtime only ever reads active ones; the entry ledger keeps what lock, cap and once need),
    /// so a month of a million users does not keep a million finished enrollments and their entry events.
    /// </summary>
    public static RuntimeStores ForReplay() => Create(keepFinished: false);

    /// <summary>
    /// <see cref="ForReplay()"/> for a fixed set of definitions: the history keeps an event's properties only when a
    /// condition of <paramref name="definitions"/> reads them (<see cref="DefinitionSet.ReadsHistoryProperties"/>);
    /// the rest would only be memory for every collection to walk.
    /// </summary>
    public static RuntimeStores ForReplay(DefinitionSet definitions) => Create(keepFinished: false, definitions.ReadsHistoryProperties);

    private static RuntimeStores Create(bool keepFinished, Func<string, bool>? keepsProperties = null)
    {
        var users = new InMemoryUsers();
        return new RuntimeStores(
            new InMemoryProfileStore(users), new InMemoryHistoryStore(users, keepsProperties), new InMemoryDedupeStore(), new InMemoryEnrollmentStore(users, keepFinished),
            new InMemoryEntryLedger(users), new InMemorySegmentMembershipStore(users), new InMemoryTimerIndex(), new InMemorySendLog(users));
    }
}
