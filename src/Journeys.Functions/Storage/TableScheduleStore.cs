using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>Each scheduled journey's next run, one row per journey (written once per run).</summary>
public sealed class TableScheduleStore(JourneyTables tables) : IScheduleStore
{
    private const string Partition = "schedule";

    public ScheduleMark? Get(string journeyId)
    {
        var row = tables.Schedules.GetEntityIfExists<TableEntity>(Partition, KeyText.Escape(journeyId));
        return row.HasValue ? new ScheduleMark(row.Value!.GetDateTimeOffset("Next")) : null;
    }

    public void Set(string journeyId, ScheduleMark mark)
    {
        var row = new TableEntity(Partition, KeyText.Escape(journeyId)) { ["Ended"] = mark.Next is null };
        if (mark.Next is { } next)
        {
            row["Next"] = next;
        }
        tables.Schedules.UpsertEntity(row, TableUpdateMode.Replace);
    }
}
