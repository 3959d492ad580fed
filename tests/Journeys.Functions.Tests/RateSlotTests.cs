using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Orchestration;
using Journeys.Functions.Storage;
using Journeys.Functions.Tests.RealEngine;

namespace Journeys.Functions.Tests;

/// <summary>
/// The per-(channel, minute) send counts of <c>rateLimits</c> on Azurite (<see cref="TableRateSlots"/>): a minute
/// never takes more than its limit, whoever takes at once, and a take with the same key takes nothing twice.
/// </summary>
public sealed class RateSlotTests
{
    private static readonly DateTimeOffset Ten = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static TableRateSlots Slots(Azurite azurite) =>
        new(new JourneyTables(new TableServiceClient("UseDevelopmentStorage=true"), TimeProvider.System, azurite.Tables.Prefix), new SettableClock { Fixed = Ten });

    private static long Counted(Azurite azurite, DateTimeOffset minute) =>
        azurite.Tables.Counters.GetEntityIfExists<TableEntity>(TableRateSlots.Partition(Channel.Email), TableRateSlots.MinuteRow(minute)) is { HasValue: true } row
            ? row.Value!.GetInt64("Count") ?? 0
            : 0;

    [Fact]
    public void The_same_take_again_returns_its_grant_and_counts_nothing_more()
    {
        var azurite = new Azurite();
        var slots = Slots(azurite);
        var first = slots.Take(new RateSlotTake("e1~3~0~0", Channel.Email, Ten, 1));
        var again = slots.Take(new RateSlotTake("e1~3~0~0", Channel.Email, Ten, 1));
        var other = slots.Take(new RateSlotTake("e2~3~0~0", Channel.Email, Ten, 1));
        var otherAgain = slots.Take(new RateSlotTake("e2~3~0~0", Channel.Email, Ten, 1));

        Assert.Null(first.Until);
        Assert.Equal(first, again);
        Assert.Equal(Ten.AddMinutes(1), other.Until); // the minute's one slot was taken: the next minute's first
        Assert.Equal(other, otherAgain);
        Assert.Equal([1L, 1L, 0L], new[] { Counted(azurite, Ten), Counted(azurite, Ten.AddMinutes(1)), Counted(azurite, Ten.AddMinutes(2)) });
    }

    [Fact]
    public async Task Instances_taking_at_once_never_take_more_than_a_minute_allows()
    {
        var azurite = new Azurite();
        // four instances, each with its own client to the same table, 8 takes each: 32 sends at 10:00 for 10 a minute
        var instances = Enumerable.Range(0, 4).Select(_ => Slots(azurite)).ToList();
        var grants = await Task.WhenAll(instances.Select((slots, i) => Task.Run(() =>
            Enumerable.Range(0, 8).Select(n => slots.Take(new RateSlotTake($"e{i}-{n}~1~0~0", Channel.Email, Ten, 10))).ToList())));
        var all = grants.SelectMany(g => g).ToList();

        Assert.Equal(10, all.Count(g => g.Until is null)); // the first minute's ten go now
        Assert.Equal([10L, 10L, 10L, 2L, 0L], Enumerable.Range(0, 5).Select(m => Counted(azurite, Ten.AddMinutes(m))));
        // each later send has its own place in its minute (60 s / 10 apart)
        var places = all.Where(g => g.Until is not null).Select(g => g.Until!.Value).ToList();
        Assert.Equal(22, places.Distinct().Count());
        Assert.All(places, p => Assert.Equal(0, (p - Ten).Ticks % TimeSpan.FromSeconds(6).Ticks));
    }
}
