using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;

namespace Journeys.Functions.Storage;

/// <summary>
/// The channels' per-minute send counts for <c>rateLimits</c> (DESIGN §10) in the <c>counters</c> table: partition
/// <c>rate|{channel}</c>, a <c>m|yyyy-MM-ddTHH:mm</c> row per UTC minute holding its <c>Count</c>, and a <c>k|{key}</c>
/// row per take holding what it got. A take counts its send in the first minute it may go in (its time, or now if
/// later) that has room, in one entity-group transaction that replaces the minute row under the ETag it was read
/// with (or adds it) and adds the take's row: two instances never both take a minute's last slot (the loser gets
/// 412, or 409 for a row added in between, reads again and decides again), and a retried take finds its row and
/// takes nothing twice. Writers contend on one minute's row at a time, never on the channel as a whole.
/// </summary>
public sealed class TableRateSlots(JourneyTables tables, TimeProvider time) : IRateSlots
{
    /// <summary>Attempts under contention before the activity fails (Durable then retries it).</summary>
    private const int MaxAttempts = 64;

    /// <summary>The partitions of the rate rows (journey partitions are escaped ids: '|' never appears in them).</summary>
    public const string PartitionPrefix = "rate|";

    public const string MinutePrefix = "m|";

    public const string TakePrefix = "k|";

    public static string Partition(Core.Definitions.Channel channel) => PartitionPrefix + SendPlanner.Name(channel);

    public static string MinuteRow(DateTimeOffset minute) =>
        MinutePrefix + minute.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public RateSlotGrant Take(RateSlotTake take)
    {
        var partition = Partition(take.Channel);
        var takeRow = TakePrefix + KeyText.Escape(take.Key);
        var now = time.GetUtcNow();
        var first = RateMinutes.Of(take.At > now ? take.At : now);
        for (var attempt = 1; ; attempt++)
        {
            var held = tables.Counters.GetEntityIfExists<TableEntity>(partition, takeRow);
            if (held.HasValue)
            {
                // a retried take: what the first got
                return new RateSlotGrant(take.Key, held.Value!.GetInt64("Until") is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null);
            }
            var minute = first;
            var read = Read(partition, minute);
            while (read.Count >= take.PerMinute)
            {
                minute = minute.AddMinutes(1);
                read = Read(partition, minute);
            }
            var grant = new RateSlotGrant(take.Key, minute == first ? null : RateMinutes.Place(minute, read.Count, take.PerMinute));
            var counted = new TableEntity(partition, MinuteRow(minute)) { ["Count"] = read.Count + 1 };
            var taken = new TableEntity(partition, takeRow) { ["Minute"] = MinuteRow(minute) };
            if (grant.Until is { } until)
            {
                taken["Until"] = until.UtcTicks; // ticks: exactly what the first take answered
            }
            try
            {
                tables.Counters.SubmitTransaction([
                    read.ETag is { } etag
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, counted, etag)
                        : new TableTransactionAction(TableTransactionActionType.Add, counted),
                    new TableTransactionAction(TableTransactionActionType.Add, taken),
                ]);
                return grant;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // another take counted in this minute in between (or this take's retry ran alongside): read again, after
                // a short random pause so that takes racing for the same row spread out
                Thread.Sleep(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)));
            }
        }
    }

    private (long Count, ETag? ETag) Read(string partition, DateTimeOffset minute)
    {
        var found = tables.Counters.GetEntityIfExists<TableEntity>(partition, MinuteRow(minute));
        return found.HasValue ? (found.Value!.GetInt64("Count") ?? 0, found.Value.ETag) : (0, null);
    }
}
