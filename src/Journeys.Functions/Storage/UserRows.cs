using System.Globalization;
using Journeys.Core.Engine;

namespace Journeys.Functions.Storage;

/// <summary>
/// The users table: one partition per user (PartitionKey = user id), so everything about a user is one
/// partition query away and one entity-group transaction can change it. Row keys, in sort order:
/// <code>
/// e|{journey}|{entryNo:D6}   an enrollment (state JSON, Active flag; Claim: its run's token; StopAt: a stop request;
///                            LeftSegment, LeftAt, LeftAfter: a streaming segment the user left, exit.segments)
/// e|{journey}|{key}|{entryNo:D6}  an enrollment of a keyed journey (the key as in its id, escaped)
/// h|{sequence:D12}           a history event (with ProcessedAt and MessageId when the ingestion wrote it)
/// l|{journey}                the entry ledger of one journey (entry instants, ETag-guarded)
/// l|{journey}:{key}          the entry ledger of one key of a keyed journey (EntryKeys.Scope)
/// m|{segment}                a streaming segment membership (present = member)
/// p                          the profile (traits JSON)
/// q                          the history sequence counter
/// ---- the ingestion's partition read stops here: RowKey lt 'r', of e| and l| only its scope's rows (plus its one dedupe row)
/// r|{idempotencyKey}         a sent-mark: the message was delivered (the sending activity checks it first)
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

    /// <summary>
    /// An enrollment's row: a keyed one's holds its key (escaped as in its id), so two carts' first entries differ.
    /// </summary>
    public static string Enrollment(EnrollmentState state) => Enrollment(state.JourneyId, EscapedKey(state.Key), state.EntryNo);

    private static string Enrollment(string journeyId, string? escapedKey, int entryNo) => escapedKey is null
        ? Enrollment(journeyId, entryNo)
        : $"e|{KeyText.Escape(journeyId)}|{escapedKey}|{entryNo.ToString("D6", CultureInfo.InvariantCulture)}"; // percent-encoded: no '|', nothing a key refuses

    private static string? EscapedKey(string? key) => key is null ? null : EntryKeys.Escape(key);

    /// <summary>
    /// The row of an enrollment id of a known user: <c>{journey}:{user}:{entryNo}</c> or, keyed,
    /// <c>{journey}:{user}:{escapedKey}:{entryNo}</c>. The user id may hold ':', an escaped key never does,
    /// so with the user known the id reads one way only.
    /// </summary>
    public static string EnrollmentRow(string enrollmentId, string userId)
    {
        var journeyEnd = enrollmentId.IndexOf(':', StringComparison.Ordinal);
        var rest = journeyEnd + 1 + userId.Length;
        if (journeyEnd <= 0 || enrollmentId.Length <= rest + 1 || enrollmentId[rest] != ':'
            || string.CompareOrdinal(enrollmentId, journeyEnd + 1, userId, 0, userId.Length) != 0)
        {
            throw new FormatException($"not an enrollment id of user {userId}: {enrollmentId}");
        }
        var tail = enrollmentId[(rest + 1)..];
        var keyEnd = tail.LastIndexOf(':');
        if (!int.TryParse(tail.AsSpan(keyEnd + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var entryNo) || keyEnd == 0)
        {
            throw new FormatException($"not an enrollment id of user {userId}: {enrollmentId}");
        }
        return Enrollment(enrollmentId[..journeyEnd], keyEnd < 0 ? null : tail[..keyEnd], entryNo);
    }

    public static string EnrollmentPrefix(string journeyId) => $"e|{KeyText.Escape(journeyId)}|";

    /// <summary>The rows of one key's enrollments of a keyed journey.</summary>
    public static string EnrollmentPrefix(string journeyId, string key) => EnrollmentPrefix(journeyId) + EscapedKey(key) + "|";

    public static string History(long sequence) => "h|" + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <param name="scope">A journey id, or a keyed journey's <c>{journey}:{escaped key}</c> (<see cref="EntryKeys.Scope"/>).</param>
    public static string Ledger(string scope) => "l|" + KeyText.Escape(scope);

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
    /// number is the last part, the user id whatever lies between. A keyed id (<c>{journey}:{user}:{key}:{entryNo}</c>)
    /// reads as user <c>{user}:{key}</c> here: <see cref="UserCandidates"/> gives both readings.
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

    /// <summary>
    /// The user ids an enrollment id can belong to, likeliest first: what lies between the journey and the entry
    /// number, and, when that holds a ':', the part before its last ':' (the rest being a key).
    /// </summary>
    public static IEnumerable<string> UserCandidates(string enrollmentId)
    {
        var (_, middle, _) = ParseEnrollmentId(enrollmentId);
        var keyStart = middle.LastIndexOf(':');
        if (keyStart > 0)
        {
            yield return middle[..keyStart];
        }
        yield return middle;
    }
}
