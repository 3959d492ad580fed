using System.Globalization;
using Azure.Data.Tables;

namespace Journeys.Functions.Storage;

/// <summary>
/// Events the ingestion could not take: the raw body and the reason, one row each, partitioned by day
/// so a day's failures are one query and retention deletes whole days. The body may hold personal data:
/// the table has the users table's access and retention, and nothing of it is logged.
/// </summary>
public sealed class DeadLetters(JourneyTables tables, TimeProvider time)
{
    /// <summary>Bodies are cut to what one string property holds (64 KiB of UTF-16).</summary>
    private const int MaxBodyChars = 32_000;

    public void Add(string rawBody, string reason, string source)
    {
        var now = time.GetUtcNow();
        var row = new TableEntity(now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), $"{UserRows.Ticks(now)}|{Guid.NewGuid():N}")
        {
            ["Reason"] = reason,
            ["Source"] = source,
            ["Body"] = rawBody.Length > MaxBodyChars ? rawBody[..MaxBodyChars] : rawBody,
            ["Truncated"] = rawBody.Length > MaxBodyChars,
        };
        tables.DeadLetters.AddEntity(row);
    }
}
