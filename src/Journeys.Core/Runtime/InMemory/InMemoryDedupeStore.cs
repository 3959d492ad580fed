namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryDedupeStore : IDedupeStore
{
    // a replay's millions of message ids, kept without a string object each (see CompactStringSet)
    private readonly CompactStringSet _seen = new();

    public bool TryAdd(string messageId) => _seen.Add(messageId);
}
