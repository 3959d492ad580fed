namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySendLog : ISendLog
{
    private readonly Dictionary<string, List<DateTimeOffset>> _sends = new(StringComparer.Ordinal);

    public int CountSince(string userId, DateTimeOffset since)
    {
        if (!_sends.TryGetValue(userId, out var list)) return 0;
        var count = 0;
        for (var i = list.Count - 1; i >= 0 && list[i] > since; i--) count++;
        return count;
    }

    public void Record(string userId, DateTimeOffset at)
    {
        if (!_sends.TryGetValue(userId, out var list))
        {
            _sends[userId] = list = new List<DateTimeOffset>(2);
        }
        list.Add(at);
    }
}
