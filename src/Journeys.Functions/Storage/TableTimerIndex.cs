using Azure;
using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// The runtime's due-time index on a table (one partition, keys in due order). The Azure runtime itself
/// waits with Durable timers and a timer trigger; this port exists so the Table stores are a complete
/// set (the conformance suite runs the single-node runtime on them).
/// </summary>
internal sealed class TableTimerIndex(TableClient timers, TimeProvider time) : ITimerIndex
{
    private const string Partition = "due";
    private long _sequence = time.GetUtcNow().UtcTicks; // orders equal due times by scheduling, also across restarts

    public void Schedule(DueItem item)
    {
        var key = $"{UserRows.Ticks(item.Due)}|{Interlocked.Increment(ref _sequence):D19}";
        var row = new TableEntity(Partition, key) { ["Due"] = item.Due };
        if (item.EnrollmentId is { } enrollment) row["Enrollment"] = enrollment;
        if (item.JourneyId is { } journey) row["Journey"] = journey;
        timers.AddEntity(row);
    }

    public bool TryTakeDue(DateTimeOffset upTo, out DueItem item)
    {
        while (First($"RowKey lt {KeyText.Literal(UserRows.Ticks(upTo) + "|~")}") is { } row)
        {
            try
            {
                timers.DeleteEntity(row.PartitionKey, row.RowKey, row.ETag);
                item = new DueItem(row.GetDateTimeOffset("Due") ?? default, row.GetString("Enrollment"), row.GetString("Journey"));
                return true;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // taken by another caller: look again
            }
        }
        item = default;
        return false;
    }

    public DateTimeOffset? NextDue => First(null)?.GetDateTimeOffset("Due");

    public bool HasScheduledRun(string journeyId) =>
        timers.Query<TableEntity>($"PartitionKey eq '{Partition}' and Journey eq {KeyText.Literal(journeyId)}", maxPerPage: 1).Any();

    private TableEntity? First(string? filter) =>
        timers.Query<TableEntity>(filter is null ? $"PartitionKey eq '{Partition}'" : $"PartitionKey eq '{Partition}' and {filter}", maxPerPage: 1).FirstOrDefault();
}
