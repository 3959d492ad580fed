namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryEntryLedger : IEntryLedger
{
    private readonly InMemoryUsers _users;

    public InMemoryEntryLedger() : this(new InMemoryUsers()) { }

    internal InMemoryEntryLedger(InMemoryUsers users) => _users = users;

    public IReadOnlyList<DateTimeOffset> Entries(string journeyId, string userId) =>
        Find(_users.Find(userId)?.Entries, journeyId) ?? (IReadOnlyList<DateTimeOffset>)[];

    public void Record(string journeyId, string userId, DateTimeOffset at)
    {
        // the user's rows live on their record: a user enters a few journeys, so a short list beats a global table keyed by pairs
        var rows = _users.Get(userId).Entries ??= new List<KeyValuePair<string, List<DateTimeOffset>>>(1);
        if (Find(rows, journeyId) is { } list)
        {
            list.Add(at);
        }
        else
        {
            rows.Add(new(journeyId, [at]));
        }
    }

    private static List<DateTimeOffset>? Find(List<KeyValuePair<string, List<DateTimeOffset>>>? rows, string journeyId)
    {
        if (rows is null) return null;
        foreach (var (scope, list) in rows)
        {
            if (string.Equals(scope, journeyId, StringComparison.Ordinal)) return list;
        }
        return null;
    }
}
