using Azure.Data.Tables;
using Journeys.Core.Engine;

namespace Journeys.Functions.Storage;

/// <summary>
/// The journeytrace table: each trace record again, partitioned by journey (PartitionKey = escaped journey
/// id), RowKey <c>{ticks:D19}|{scope}|{n}|{user}</c>: the users-table row key without its <c>t|</c>, so a
/// journey's records come in time order and one user's in the order written, and a rewrite of the same
/// record (an activity run again) lands on the same row. Stats and trace by journey read one partition.
/// </summary>
internal static class JourneyTraceRows
{
    public static TableEntity Row(TraceRecord record, string userRowKey, string json) =>
        new(KeyText.Escape(record.Journey), $"{userRowKey[2..]}|{KeyText.Escape(record.User)}")
        {
            ["User"] = record.User,
            ["Record"] = json,
        };

    /// <summary>The first row key at or after <paramref name="at"/>.</summary>
    public static string From(DateTimeOffset at) => UserRows.Ticks(at);
}
