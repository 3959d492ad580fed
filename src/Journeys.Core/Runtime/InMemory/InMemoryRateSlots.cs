using Journeys.Core.Definitions;
using Journeys.Core.Orchestration;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>Per-(channel, minute) slots in memory, as the Azure app keeps them in its <c>counters</c> table: for the orchestration tests.</summary>
public sealed class InMemoryRateSlots(Func<DateTimeOffset> now) : IRateSlots
{
    private readonly Dictionary<(Channel, DateTimeOffset), long> _minutes = [];
    private readonly Dictionary<string, RateSlotGrant> _taken = new(StringComparer.Ordinal);

    /// <summary>Sends counted in the channel's minute.</summary>
    public long Taken(Channel channel, DateTimeOffset minute) => _minutes.GetValueOrDefault((channel, minute));

    public RateSlotGrant Take(RateSlotTake take)
    {
        if (_taken.TryGetValue(take.Key, out var before))
        {
            return before;
        }
        var first = RateMinutes.Of(take.At > now() ? take.At : now());
        var minute = first;
        while (Taken(take.Channel, minute) >= take.PerMinute)
        {
            minute = minute.AddMinutes(1);
        }
        var taken = Taken(take.Channel, minute);
        _minutes[(take.Channel, minute)] = taken + 1;
        return _taken[take.Key] = new RateSlotGrant(take.Key, minute == first ? null : RateMinutes.Place(minute, taken, take.PerMinute));
    }
}
