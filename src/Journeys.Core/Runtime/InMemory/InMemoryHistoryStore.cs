using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryHistoryStore : IHistoryStore
{
    private readonly Dictionary<string, List<HistoryEvent>> _history = new(StringComparer.Ordinal);

    public IReadOnlyList<HistoryEvent> Get(string userId) => _history.TryGetValue(userId, out var list) ? list : [];

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        if (!_history.TryGetValue(userId, out var list))
        {
            _history[userId] = list = new List<HistoryEvent>(4);
        }
        var entry = new HistoryEvent(list.Count + 1, eventName, timestamp, properties);
        list.Add(entry);
        return entry;
    }
}
