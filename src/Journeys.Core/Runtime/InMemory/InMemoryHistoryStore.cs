using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly UserMap<List<HistoryEvent>> _history = new();

    public IReadOnlyList<HistoryEvent> Get(string userId) => _history.Find(userId) ?? (IReadOnlyList<HistoryEvent>)[];

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        var list = _history.GetOrAdd(userId, static () => new List<HistoryEvent>(4));
        var entry = new HistoryEvent(list.Count + 1, eventName, timestamp, properties);
        list.Add(entry);
        return entry;
    }
}
