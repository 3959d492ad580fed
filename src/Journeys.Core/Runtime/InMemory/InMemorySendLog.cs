namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySendLog : ISendLog
{
    private readonly UserMap<List<DateTimeOffset>> _sends = new();

    public int CountSince(string userId, DateTimeOffset since)
    {
        var list = _sends.Find(userId);
        if (list is null) return 0;
        var count = 0;
        for (var i = list.Count - 1; i >= 0 && list[i] > since; i--) count++;
        return count;
    }

    public void Record(string userId, DateTimeOffset at) =>
        _sends.GetOrAdd(userId, static () => new List<DateTimeOffset>(2)).Add(at);
}
