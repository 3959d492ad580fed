using Azure;
using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>Streaming segment membership as <c>m|{segment}</c> rows: present = member.</summary>
internal sealed class TableMembershipStore(TableClient users) : ISegmentMembershipStore
{
    public IReadOnlySet<string> SegmentsOf(string userId) =>
        users.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(userId)} and {UserRows.Range("m|")}", select: ["RowKey"])
            .Select(e => KeyText.Unescape(e.RowKey[2..]))
            .ToHashSet(StringComparer.Ordinal);

    public void Set(string segmentId, string userId, bool member)
    {
        if (member)
        {
            users.UpsertEntity(new TableEntity(userId, UserRows.Membership(segmentId)), TableUpdateMode.Replace);
            return;
        }
        try
        {
            users.DeleteEntity(userId, UserRows.Membership(segmentId), ETag.All);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // not a member already
        }
    }
}
