namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryEntryLedger : IEntryLedger
{
    private readonly Dictionary<(string, string), List<DateTimeOffset>> _entries = [];

    public IReadOnlyList<DateTimeOffset> Entries(string journeyId, string userId) =>
        _entries.TryGetValue((journeyId, userId), out var list) ? list : [];

    public void Record(string journeyId, string userId, DateTimeOffset at)
    {
        if (!_entries.TryGetValue((journeyId, userId), out var list))
        {
            _entries[(journeyId, userId)] = list = new List<DateTimeOffset>(1);
        }
        list.Add(at);
    }
}
