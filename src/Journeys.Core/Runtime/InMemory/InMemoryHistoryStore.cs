using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly InMemoryUsers _users;
    private readonly Func<string, bool>? _keepsProperties;

    public InMemoryHistoryStore() : this(new InMemoryUsers()) { }

    /// <param name="keepsProperties">Which events keep their properties (by name); all when null.</param>
    internal InMemoryHistoryStore(InMemoryUsers users, Func<string, bool>? keepsProperties = null)
    {
        _users = users;
        _keepsProperties = keepsProperties;
    }

    public IReadOnlyList<HistoryEvent> Get(string userId) => _users.Find(userId)?.History ?? (IReadOnlyList<HistoryEvent>)[];

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        var user = _users.Get(userId);
        var list = user.History ??= new List<HistoryEvent>(4);
        var kept = _keepsProperties is null || _keepsProperties(eventName) ? properties : CustomerEvent.EmptyObject;
        var entry = new HistoryEvent(list.Count + 1, eventName, timestamp, kept);
        list.Add(entry);
        return entry;
    }
}
