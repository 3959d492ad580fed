using System.Globalization;

namespace Journeys.Functions.Storage;

/// <summary>
/// The users table: one partition per user (PartitionKey = user id), so everything about a user is one
/// partition query away and one entity-group transaction can change it. Row keys, in sort order:
/// <code>
/// e|{journey}|{entryNo:D6}   an enrollment (state JSON, Active flag; Claim: its run's token; StopAt: a stop request)
/// h|{sequence:D12}           a history event (with ProcessedAt and MessageId when the ingestion wrote it)
/// l|{journey}                the entry ledger of one journey (entry instants, ETag-guarded)
/// m|{segment}                a streaming segment membership (present = member)
/// p                          the profile (traits JSON)
/// q                          the history sequence counter
/// ---- the ingestion's partition read stops here: RowKey lt 'r' (plus its one dedupe row)
/// r|{idempotencyKey}         a sent-mark: the message was delivered (the send activity checks it first)
/// s|{ticks:D19}|{n}          a message sent (frequency caps)
/// t|{ticks:D19}|{scope}|{n}  a trace record
/// x|{messageId}              a processed message id (dedupe)
/// </code>
/// </summary>
internal static class UserRows
{
    public const string Profile = "p";
    public const string Sequence = "q";

    /// <summary>The end of what an ingestion reads with the user's partition.</summary>
    public const string IngestionEnd = "r";

    public static string Enrollment(string journeyId, int entryNo) =>
        $"e|{KeyText.Escape(journeyId)}|{entryNo.ToString("D6", CultureInfo.InvariantCulture)}";

    public static string EnrollmentPrefix(string journeyId) => $"e|{KeyText.Escape(journeyId)}|";

    public static string History(long sequence) => "h|" + sequence.ToString("D12", CultureInfo.InvariantCulture);

    public static string Ledger(string journeyId) => "l|" + KeyText.Escape(journeyId);

    public static string Membership(string segmentId) => "m|" + KeyText.Escape(segmentId);

    public static string Sent(string idempotencyKey) => "r|" + KeyText.Escape(idempotencyKey);

    public static string Send(DateTimeOffset at, string suffix) => $"s|{Ticks(at)}|{suffix}";

    public static string Trace(DateTimeOffset at, string scope, int n) =>
        $"t|{Ticks(at)}|{KeyText.Escape(scope)}|{n.ToString("D4", CultureInfo.InvariantCulture)}";

    public static string Dedupe(string messageId) => "x|" + KeyText.Escape(messageId);

    public static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Rows whose key starts with <paramref name="prefix"/>: <c>RowKey ge prefix and RowKey lt prefix + '~'</c>.</summary>
    public static string Range(string prefix) =>
        $"RowKey ge {KeyText.Literal(prefix)} and RowKey lt {KeyText.Literal(prefix + "~")}";

    /// <summary>
    /// Parses <c>{journey}:{user}:{entryNo}</c>: journey ids have no ':' (the validator's id rule), the entry
    /// number is the last part, the user id whatever lies between.
    /// </summary>
    public static (string JourneyId, string UserId, int EntryNo) ParseEnrollmentId(string enrollmentId)
    {
        var first = enrollmentId.IndexOf(':', StringComparison.Ordinal);
        var last = enrollmentId.LastIndexOf(':');
        if (first <= 0 || last <= first || !int.TryParse(enrollmentId.AsSpan(last + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var entryNo))
        {
            throw new FormatException($"not an enrollment id: {enrollmentId}");
        }
        return (enrollmentId[..first], enrollmentId[(first + 1)..last], entryNo);
    }
}
