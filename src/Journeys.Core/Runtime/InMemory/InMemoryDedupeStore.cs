namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryDedupeStore : IDedupeStore
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public bool TryAdd(string messageId) => _seen.Add(messageId);
}
