using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>The runtime's stores in memory: the simulator's, and the reference the store conformance tests hold others to.</summary>
public static class InMemoryStores
{
    public static RuntimeStores Create() => new(
        new InMemoryProfileStore(), new InMemoryHistoryStore(), new InMemoryDedupeStore(), new InMemoryEnrollmentStore(),
        new InMemoryEntryLedger(), new InMemorySegmentMembershipStore(), new InMemoryTimerIndex(), new InMemorySendLog());
}

public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly Dictionary<string, Profile> _profiles = new(StringComparer.Ordinal);

    public Profile? Find(string userId) => _profiles.GetValueOrDefault(userId);

    public void Save(Profile profile) => _profiles[profile.UserId] = profile;

    public IEnumerable<string> UserIds() => _profiles.Keys.Order(StringComparer.Ordinal);
}

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

public sealed class InMemoryDedupeStore : IDedupeStore
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public bool TryAdd(string messageId) => _seen.Add(messageId);
}

public sealed class InMemoryEnrollmentStore : IEnrollmentStore
{
    private readonly Dictionary<string, EnrollmentState> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EnrollmentState>> _activeByUser = new(StringComparer.Ordinal);

    public EnrollmentState? Get(string enrollmentId) => _all.GetValueOrDefault(enrollmentId);

    public EnrollmentState? FindActive(string journeyId, string userId) =>
        _activeByUser.TryGetValue(userId, out var list) ? list.Find(e => e.JourneyId == journeyId) : null;

    public IReadOnlyList<EnrollmentState> ActiveFor(string userId) =>
        _activeByUser.TryGetValue(userId, out var list) ? list.ToArray() : [];

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) =>
        _activeByUser.Values.SelectMany(l => l).Where(e => e.JourneyId == journeyId).OrderBy(e => e.EnrollmentId, StringComparer.Ordinal).ToList();

    public void Save(EnrollmentState state)
    {
        _all[state.EnrollmentId] = state;
        if (!_activeByUser.TryGetValue(state.UserId, out var list))
        {
            _activeByUser[state.UserId] = list = new List<EnrollmentState>(2);
        }
        var index = list.FindIndex(e => e.EnrollmentId == state.EnrollmentId);
        if (state.IsActive)
        {
            if (index >= 0) list[index] = state;
            else list.Add(state);
        }
        else if (index >= 0)
        {
            list.RemoveAt(index);
        }
    }
}

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

public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private readonly HashSet<(string, string)> _members = [];

    public bool IsMember(string segmentId, string userId) => _members.Contains((segmentId, userId));

    public void Set(string segmentId, string userId, bool member)
    {
        if (member) _members.Add((segmentId, userId));
        else _members.Remove((segmentId, userId));
    }
}

/// <summary>A priority queue ordered by due time, then by scheduling order, so equal times stay deterministic.</summary>
public sealed class InMemoryTimerIndex : ITimerIndex
{
    private readonly PriorityQueue<DueItem, (DateTimeOffset, long)> _queue = new();
    private long _sequence;

    public void Schedule(DueItem item) => _queue.Enqueue(item, (item.Due, _sequence++));

    public bool TryTakeDue(DateTimeOffset upTo, out DueItem item)
    {
        if (_queue.TryPeek(out item, out var priority) && priority.Item1 <= upTo)
        {
            _queue.Dequeue();
            return true;
        }
        item = default;
        return false;
    }

    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var priority) ? priority.Item1 : null;

    public int Count => _queue.Count;
}

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
