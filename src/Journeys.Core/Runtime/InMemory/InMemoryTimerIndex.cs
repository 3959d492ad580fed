namespace Journeys.Core.Runtime.InMemory;

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

    public bool HasScheduledRun(string journeyId) =>
        _queue.UnorderedItems.Any(entry => entry.Element.JourneyId == journeyId);
}
