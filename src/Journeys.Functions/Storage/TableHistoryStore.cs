using Azure;
using Azure.Data.Tables;
using Journeys.Core.Audience;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>History as <c>h|{sequence}</c> rows; the <c>q</c> row counts them, so an append is one transaction.</summary>
internal sealed class TableHistoryStore(TableClient users) : IHistoryStore
{
    /// <summary>When the ingestion processed the event (the time orchestrations decide it at).</summary>
    public const string ProcessedAtColumn = "ProcessedAt";

    public const string MessageIdColumn = "MessageId";

    public IReadOnlyList<HistoryEvent> Get(string userId) =>
        users.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(userId)} and {UserRows.Range("h|")}")
            .Select(ToEvent)
            .ToList();

    public HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties)
    {
        while (true)
        {
            var counter = users.GetEntityIfExists<TableEntity>(userId, UserRows.Sequence);
            var sequence = (counter.HasValue ? counter.Value!.GetInt64("Last") ?? 0 : 0) + 1;
            var added = new HistoryEvent(sequence, eventName, timestamp, properties);
            var next = new TableEntity(userId, UserRows.Sequence) { ["Last"] = sequence };
            try
            {
                users.SubmitTransaction([
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(userId, added)),
                    counter.HasValue
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, next),
                ]);
                return added;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // another writer appended first: take the next number
            }
        }
    }

    internal static HistoryEvent ToEvent(TableEntity row) => new(
        long.Parse(row.RowKey.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture),
        row.GetString("Event"),
        row.GetDateTimeOffset("At") ?? default,
        TableJson.Read(row.GetString("Properties")));

    internal static TableEntity ToEntity(string userId, HistoryEvent e) => new(userId, UserRows.History(e.Sequence))
    {
        ["Event"] = e.Event,
        ["At"] = e.Timestamp,
        ["Properties"] = TableJson.Write(e.Properties),
    };
}
