namespace Journeys.Core.Runtime.InMemory;

/// <summary>The runtime's stores in memory: the simulator's, and the reference the store conformance tests hold others to.</summary>
public static class InMemoryStores
{
    public static RuntimeStores Create() => new(
        new InMemoryProfileStore(), new InMemoryHistoryStore(), new InMemoryDedupeStore(), new InMemoryEnrollmentStore(),
        new InMemoryEntryLedger(), new InMemorySegmentMembershipStore(), new InMemoryTimerIndex(), new InMemorySendLog());
}
