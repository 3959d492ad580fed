using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly InMemoryUsers _users;

    public InMemoryHistoryStore() : this(new InMemoryUsers()) { }

    internal InMemoryHistoryStore(InMemoryUsers users) => _users = users;

    public IReadOnlyList<HistoryEvent> Get(string userId) => _users.Find(userId)?.History ?? (IReadOnlyList<HistoryEvent>)[];

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        var user = _users.Get(userId);
        var list = user.History ??= new List<HistoryEvent>(4);
        var entry = new HistoryEvent(list.Count + 1, eventName, timestamp, properties);
        list.Add(entry);
        return entry;
    }
}
