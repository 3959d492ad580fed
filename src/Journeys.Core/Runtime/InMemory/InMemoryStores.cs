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

    private static RuntimeStores Create(bool keepFinished)
    {
        var users = new InMemoryUsers();
        return new RuntimeStores(
            new InMemoryProfileStore(users), new InMemoryHistoryStore(users), new InMemoryDedupeStore(), new InMemoryEnrollmentStore(users, keepFinished),
            new InMemoryEntryLedger(users), new InMemorySegmentMembershipStore(users), new InMemoryTimerIndex(), new InMemorySendLog(users));
    }
}
