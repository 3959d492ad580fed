using System.Globalization;
using System.Text;
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

    /// <summary>A body as received (UTF-8 bytes); <paramref name="truncated"/>: the caller kept only its start.</summary>
    public void Add(ReadOnlyMemory<byte> rawBody, string reason, string source, bool truncated = false) =>
        Add(Encoding.UTF8.GetString(rawBody.Span), reason, source, truncated);

    public void Add(string rawBody, string reason, string source, bool truncated = false)
    {
        var now = time.GetUtcNow();
        var row = new TableEntity(now.ToString("yyyyMMdd", CultureInfo.InvariantCulture), $"{UserRows.Ticks(now)}|{Guid.NewGuid():N}")
        {
            ["Reason"] = reason,
            ["Source"] = source,
            ["Body"] = rawBody.Length > MaxBodyChars ? rawBody[..MaxBodyChars] : rawBody,
            ["Truncated"] = truncated || rawBody.Length > MaxBodyChars,
        };
        tables.DeadLetters.AddEntity(row);
    }
}
