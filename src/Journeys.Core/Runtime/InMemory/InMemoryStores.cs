namespace Journeys.Core.Runtime.InMemory;

/// <summary>The runtime's stores in memory: the simulator's, and the reference the store conformance tests hold others to.</summary>
public static class InMemoryStores
{
    /// <summary>The per-user stores share one table of users (see <see cref="InMemoryUsers"/>).</summary>
    public static RuntimeStores Create()
    {
        var users = new InMemoryUsers();
        return new RuntimeStores(
            new InMemoryProfileStore(users), new InMemoryHistoryStore(users), new InMemoryDedupeStore(), new InMemoryEnrollmentStore(users),
            new InMemoryEntryLedger(), new InMemorySegmentMembershipStore(users), new InMemoryTimerIndex(), new InMemorySendLog(users));
    }
}
