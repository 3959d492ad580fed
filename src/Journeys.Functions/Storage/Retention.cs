using Azure;
using Azure.Data.Tables;

namespace Journeys.Functions.Storage;

/// <summary>
/// What is kept how long. Dedupe rows only need to outlive upstream redelivery (Event Hubs retention is
/// at most 7 days on Standard); traces and ended enrollments serve the API and statistics; history serves
/// conditions, whose windows are journey-defined, so it is kept longest.
/// </summary>
public sealed record RetentionPolicy(TimeSpan Dedupe, TimeSpan Traces, TimeSpan EndedEnrollments, TimeSpan History, TimeSpan DeadLetters)
{
    /// <summary>
    /// Rate-limit rows (<c>TableRateSlots</c>): a minute row is only read while its minute may still take sends, a take
    /// row only by its activity's retries, so an hour is ample for both.
    /// </summary>
    public TimeSpan RateSlots { get; init; } = TimeSpan.FromHours(1);

    public static RetentionPolicy Default { get; } = new(TimeSpan.FromDays(8), TimeSpan.FromDays(90), TimeSpan.FromDays(90), TimeSpan.FromDays(400), TimeSpan.FromDays(30));
}

/// <summary>
/// Deletes expired rows, in entity-group transactions of up to 100 rows of one partition. A daily scan
/// of the users table filtered by row-key range and Timestamp, and of the counters table by row key: it reads
/// only expired rows' keys.
/// </summary>
public sealed class Retention(JourneyTables tables, TimeProvider time)
{
    public int Run(RetentionPolicy policy)
    {
        var now = time.GetUtcNow();
        var deleted = 0;
        deleted += Delete(tables.Users, $"{UserRows.Range("x|")} and Timestamp lt {Since(now - policy.Dedupe)}");
        deleted += Delete(tables.Users, $"{UserRows.Range("t|")} and Timestamp lt {Since(now - policy.Traces)}");
        deleted += Delete(tables.Users, $"{UserRows.Range("s|")} and Timestamp lt {Since(now - policy.Traces)}");
        deleted += Delete(tables.JourneyTrace, $"Timestamp lt {Since(now - policy.Traces)}"); // the trace again, by journey
        // sent-marks are read only by the sending activity (Apply) of a running enrollment (its retries): kept as long as ended enrollments
        deleted += Delete(tables.Users, $"{UserRows.Range("r|")} and Timestamp lt {Since(now - policy.EndedEnrollments)}");
        deleted += Delete(tables.Users, $"{UserRows.Range("e|")} and Active eq false and Timestamp lt {Since(now - policy.EndedEnrollments)}");
        // history rows keep their sequence numbers: the counter row stays, so sequences never repeat
        deleted += Delete(tables.Users, $"{UserRows.Range("h|")} and Timestamp lt {Since(now - policy.History)}");
        deleted += Delete(tables.DeadLetters, $"Timestamp lt {Since(now - policy.DeadLetters)}");
        // a report (an open can come weeks after the send) finds its enrollment here: kept as long as the trace it adds to
        deleted += Delete(tables.AcsMessages, $"Timestamp lt {Since(now - policy.Traces)}");
        deleted += SweepCounters(now, policy);
        return deleted;
    }

    /// <summary>
    /// The counters table: past minutes' rate rows and old take rows; experiment assignment rows older than the history
    /// (the shard and winner rows stay); entry-limit day rows before yesterday (an entry
    /// is counted in, and checked against, the row of the day it is made: one a day older is kept for clock skew).
    /// The journeys' <c>total</c> rows stay.
    /// </summary>
    private int SweepCounters(DateTimeOffset now, RetentionPolicy policy)
    {
        var rates = $"PartitionKey ge '{TableRateSlots.PartitionPrefix}' and PartitionKey lt 'rate}}'";
        var deleted = Delete(tables.Counters, $"{rates} and RowKey ge '{TableRateSlots.MinutePrefix}' and RowKey lt '{TableRateSlots.MinuteRow(now - policy.RateSlots)}'");
        deleted += Delete(tables.Counters, $"{rates} and RowKey ge '{TableRateSlots.TakePrefix}' and RowKey lt 'k}}' and Timestamp lt {Since(now - policy.RateSlots)}");
        // an experiment's assignment row serves conversions within its window: kept as long as the history it converts from
        deleted += Delete(tables.Counters, $"PartitionKey ge '{TableExperimentCounters.PartitionPrefix}' and PartitionKey lt 'x}}' and RowKey ge '{TableExperimentCounters.UserPrefix}' and RowKey lt '~}}' and Timestamp lt {Since(now - policy.History)}");
        var yesterday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1);
        return deleted + Delete(tables.Counters, $"RowKey ge 'd|' and RowKey lt '{TableEntryCounters.DayRow(yesterday)}'");
    }

    private static string Since(DateTimeOffset at) =>
        "datetime'" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "'";

    private static int Delete(TableClient table, string filter)
    {
        var deleted = 0;
        foreach (var partition in table.Query<TableEntity>(filter, select: ["PartitionKey", "RowKey"]).GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                table.SubmitTransaction(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)));
                deleted += chunk.Length;
            }
        }
        return deleted;
    }
}
