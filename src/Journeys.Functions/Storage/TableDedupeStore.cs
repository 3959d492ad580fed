using Azure;
using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// Message ids without a user (the runtime port). The ingestion keeps its dedupe row in the user's
/// partition instead (<see cref="TableUserPartition"/>), so the check costs no extra transaction.
/// </summary>
internal sealed class TableDedupeStore(TableClient dedupe) : IDedupeStore
{
    public bool TryAdd(string messageId)
    {
        var key = KeyText.Escape(messageId);
        // spread the keys over 64 partitions: one hot partition would cap throughput at 2,000 entities/s
        var partition = ((uint)StableHash(messageId) % 64).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            dedupe.AddEntity(new TableEntity(partition, key));
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked(hash * 31 + c);
        }
        return hash;
    }
}
