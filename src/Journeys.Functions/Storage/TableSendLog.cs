using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>Messages sent, as <c>s|{ticks}|{n}</c> rows of the person's partition, counted for frequency caps.</summary>
internal sealed class TableSendLog(TableClient users) : ISendLog
{
    private long _suffix = Random.Shared.NextInt64(); // separates two sends at one instant from one process

    public int CountSince(string userId, DateTimeOffset since) =>
        users.Query<TableEntity>(
                $"PartitionKey eq {KeyText.Literal(userId)} and RowKey gt {KeyText.Literal("s|" + UserRows.Ticks(since) + "|~")} and RowKey lt 's|~'",
                select: ["RowKey"])
            .Count();

    public void Record(string userId, DateTimeOffset at) =>
        users.UpsertEntity(new TableEntity(userId, UserRows.Send(at, Interlocked.Increment(ref _suffix).ToString(System.Globalization.CultureInfo.InvariantCulture))), TableUpdateMode.Replace);
}
