namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySendLog : ISendLog
{
    private readonly InMemoryUsers _users;

    public InMemorySendLog() : this(new InMemoryUsers()) { }

    internal InMemorySendLog(InMemoryUsers users) => _users = users;

    public int CountSince(string userId, DateTimeOffset since)
    {
        var list = _users.Find(userId)?.Sends;
        if (list is null) return 0;
        var count = 0;
        for (var i = list.Count - 1; i >= 0 && list[i] > since; i--) count++;
        return count;
    }

    /// <summary>The send instants after <paramref name="since"/>, oldest first (the in-memory partition's pull).</summary>
    public IReadOnlyList<DateTimeOffset> TimesSince(string userId, DateTimeOffset since) =>
        _users.Find(userId)?.Sends?.Where(t => t > since).ToArray() ?? [];

    public void Record(string userId, DateTimeOffset at) => (_users.Get(userId).Sends ??= new List<DateTimeOffset>(2)).Add(at);
}
