using System.Text.Json;
using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// Each user's entries into a journey as one <c>l|{journey}</c> row (a JSON array of instants), updated
/// under its ETag: two racing entries cannot both pass the lock and cap checks.
/// </summary>
internal sealed class TableEntryLedger(TableClient users) : IEntryLedger
{
    public IReadOnlyList<DateTimeOffset> Entries(string journeyId, string userId)
    {
        var row = users.GetEntityIfExists<TableEntity>(userId, UserRows.Ledger(journeyId));
        return row.HasValue ? Read(row.Value!) : [];
    }

    public void Record(string journeyId, string userId, DateTimeOffset at)
    {
        while (true)
        {
            var row = users.GetEntityIfExists<TableEntity>(userId, UserRows.Ledger(journeyId));
            var entries = row.HasValue ? Read(row.Value!).Append(at).ToList() : [at];
            var next = ToEntity(journeyId, userId, entries);
            try
            {
                if (row.HasValue)
                {
                    users.UpdateEntity(next, row.Value!.ETag, TableUpdateMode.Replace);
                }
                else
                {
                    users.AddEntity(next);
                }
                return;
            }
            catch (Azure.RequestFailedException e) when (e.Status is 409 or 412)
            {
                // another entry was recorded in between: read it and add ours after it
            }
        }
    }

    internal static IReadOnlyList<DateTimeOffset> Read(TableEntity row) =>
        JsonSerializer.Deserialize(row.GetString("Entries") ?? "[]", StorageJsonContext.Default.ListDateTimeOffset) ?? [];

    internal static TableEntity ToEntity(string journeyId, string userId, IReadOnlyList<DateTimeOffset> entries) => new(userId, UserRows.Ledger(journeyId))
    {
        ["Entries"] = JsonSerializer.Serialize(entries.ToList(), StorageJsonContext.Default.ListDateTimeOffset),
    };
}
