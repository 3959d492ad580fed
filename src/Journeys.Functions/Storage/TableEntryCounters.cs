using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// Entries per journey for its <c>limits</c> (DESIGN §10) in the <c>counters</c> table: one partition per journey,
/// a <c>total</c> row and a <c>d|yyyy-MM-dd</c> row per UTC day, each a <c>Count</c>. An entry is counted by one
/// entity-group transaction that replaces both rows under the ETags they were read with (or adds a missing one), so
/// concurrent ingestion instances never both take the last entry: the loser gets 412 (409 for a row added in
/// between), reads again and decides again. No lock beyond the journey's two rows.
/// </summary>
public sealed class TableEntryCounters(JourneyTables tables) : IEntryCounters
{
    /// <summary>Attempts under contention before the entry is given up (the ingestion then dead-letters the event, which says why).</summary>
    private const int MaxAttempts = 64;

    private const string TotalRow = "total";

    internal static string DayRow(DateOnly day) => "d|" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public long EntriesTotal(string journeyId) => Read(journeyId, TotalRow).Count;

    public long EntriesOn(string journeyId, DateOnly day) => Read(journeyId, DayRow(day)).Count;

    public void RecordEntry(string journeyId, DateTimeOffset at) => Count(journeyId, at, limits: null);

    public bool TryRecordEntry(string journeyId, DateTimeOffset at, JourneyLimits limits) => Count(journeyId, at, limits);

    private bool Count(string journeyId, DateTimeOffset at, JourneyLimits? limits)
    {
        var partition = KeyText.Escape(journeyId);
        var day = DayRow(DateOnly.FromDateTime(at.UtcDateTime));
        for (var attempt = 1; ; attempt++)
        {
            var total = Read(journeyId, TotalRow);
            var today = Read(journeyId, day);
            if (limits is not null && !limits.Allows(total.Count, today.Count))
            {
                return false;
            }
            try
            {
                tables.Counters.SubmitTransaction([Next(partition, TotalRow, total), Next(partition, day, today)]);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // another instance counted an entry in between: read its count and decide again, after a short
                // random pause so that instances racing for the same rows spread out
                Thread.Sleep(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)));
            }
        }
    }

    private static TableTransactionAction Next(string partition, string row, (long Count, ETag? ETag) read)
    {
        var entity = new TableEntity(partition, row) { ["Count"] = read.Count + 1 };
        return read.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, entity);
    }

    private (long Count, ETag? ETag) Read(string journeyId, string row)
    {
        var found = tables.Counters.GetEntityIfExists<TableEntity>(KeyText.Escape(journeyId), row);
        return found.HasValue ? (found.Value!.GetInt64("Count") ?? 0, found.Value.ETag) : (0, null);
    }
}
