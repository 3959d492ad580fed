using Azure;
using Azure.Data.Tables;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// The ingestion's view of a user (see <see cref="UserRows"/>): <see cref="Load(string, string?, PartitionScope)"/> is one query
/// over the partition (rows before <c>r</c> — of enrollments and ledgers only the scope's — plus the message's dedupe row), <see cref="Commit"/> one
/// entity-group transaction (dedupe row, history row and counter, profile, memberships). The profile
/// and counter ETags guard the commit: an orchestration that changed the profile meanwhile makes it a
/// conflict, and the ingestor reads again. The orchestrations' side (<see cref="IEnrollmentPartition"/>): a pull
/// is one query (history, profile, the enrollment row with its claim and stop), plus one for recent sends when
/// a frequency cap is set, plus one write when it claims; sent-marks are <c>r|{key}</c> rows.
/// </summary>
public sealed class TableUserPartition(JourneyTables tables) : IUserPartition, IEnrollmentPartition
{
    private const string ClaimColumn = "Claim";
    private const string StopColumn = "StopAt";
    private const string LeftSegmentColumn = "LeftSegment";
    private const string LeftAtColumn = "LeftAt";
    private const string LeftAfterColumn = "LeftAfter";
    private const string HistoryOnlyColumn = "HistoryOnly";

    private TableClient Users => tables.Users;

    private long _rowsRead, _enrollmentRowsRead;

    /// <summary>Rows the ingestion's partition reads returned so far (what <see cref="PartitionScope"/> saves is visible here).</summary>
    public long RowsRead => Interlocked.Read(ref _rowsRead);

    /// <summary>Enrollment rows among <see cref="RowsRead"/>.</summary>
    public long EnrollmentRowsRead => Interlocked.Read(ref _enrollmentRowsRead);

    public UserSnapshot Load(string userId, string? messageId) => Load(userId, messageId, PartitionScope.Everything);

    public UserSnapshot Load(string userId, string? messageId, PartitionScope scope)
    {
        var scoped = ScopedFilter(userId, messageId, scope);
        if (scoped is null)
        {
            scope = PartitionScope.Everything; // the whole read: what the scope's ranges would have taken and more
        }
        var filter = scoped ?? $"PartitionKey eq {KeyText.Literal(userId)} and (RowKey lt '{UserRows.IngestionEnd}'"
            + (messageId is null ? ")" : $" or RowKey eq {KeyText.Literal(UserRows.Dedupe(messageId))})");
        Profile? profile = null;
        ETag? profileTag = null, counterTag = null;
        var seen = false;
        var history = new List<HistoryEvent>();
        var active = new List<EnrollmentState>();
        var ledgers = new Dictionary<string, JourneyEntries>(StringComparer.Ordinal);
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Users.Query<TableEntity>(filter))
        {
            var key = row.RowKey;
            Interlocked.Increment(ref _rowsRead);
            if (key[0] == 'e')
            {
                Interlocked.Increment(ref _enrollmentRowsRead);
            }
            switch (key[0])
            {
                case 'e' when row.GetBoolean("Active") == true:
                    active.Add(TableEnrollmentStore.ToState(row));
                    break;
                case 'h':
                    history.Add(TableHistoryStore.ToEvent(row));
                    break;
                case 'l':
                    ledgers[KeyText.Unescape(key[2..])] = new JourneyEntries(TableEntryLedger.Read(row), row.ETag.ToString());
                    break;
                case 'm':
                    segments.Add(KeyText.Unescape(key[2..]));
                    break;
                case 'p':
                    profile = TableProfileStore.ToProfile(userId, row);
                    profileTag = row.ETag;
                    break;
                case 'q':
                    counterTag = row.ETag;
                    break;
                case 'x':
                    seen = true;
                    break;
            }
        }
        if (!scope.IsEverything)
        {
            ReadKeyless(userId, scope, ledgers, active);
        }
        return new UserSnapshot(
            userId, seen, profile, Versions.Write(profileTag, counterTag), history, TableEnrollmentStore.Oldest(active),
            ledger => scope.HasLedger(ledger)
                ? ledgers.GetValueOrDefault(ledger) ?? JourneyEntries.None
                : throw new InvalidOperationException($"the entry ledger {ledger} of user {userId} is outside the read"),
            segments);
    }

    /// <summary>Table Storage takes at most 15 comparisons in a filter: a scope that needs more reads everything.</summary>
    private const int MaxComparisons = 15;

    /// <summary>
    /// The query of a scoped read (<see cref="PartitionScope"/>): history, memberships, profile and counter, the dedupe
    /// row, and of the enrollment and ledger rows only the scope's ranges (active enrollments only). Null: read everything.
    /// </summary>
    private static string? ScopedFilter(string userId, string? messageId, PartitionScope scope)
    {
        if (scope.IsEverything)
        {
            return null;
        }
        // h|... then m|..., p and q: the rows every decision takes
        var parts = new List<string> { $"({UserRows.Range("h|")})", $"(RowKey ge 'm|' and RowKey lt '{UserRows.IngestionEnd}')" };
        var comparisons = 5;
        if (messageId is not null)
        {
            parts.Add($"RowKey eq {KeyText.Literal(UserRows.Dedupe(messageId))}");
            comparisons++;
        }
        var ledgers = new SortedSet<string>(scope.Ledgers, StringComparer.Ordinal);
        foreach (var (journeyId, rows) in scope.Journeys)
        {
            var prefixes = rows.Whole ? [UserRows.EnrollmentPrefix(journeyId)] : rows.Keys.Select(k => UserRows.EnrollmentPrefix(journeyId, k));
            foreach (var prefix in prefixes)
            {
                parts.Add($"({UserRows.Range(prefix)} and Active eq true)");
                comparisons += 3;
            }
            if (!rows.Whole && rows.Keyless)
            {
                ledgers.Add(journeyId); // its count names the keyless enrollment that can be active
            }
        }
        foreach (var ledger in ledgers)
        {
            parts.Add($"RowKey eq {KeyText.Literal(UserRows.Ledger(ledger))}");
            comparisons++;
        }
        return comparisons > MaxComparisons ? null : $"PartitionKey eq {KeyText.Literal(userId)} and ({string.Join(" or ", parts)})";
    }

    /// <summary>
    /// The keyless enrollment a scope asks for, of a keyed journey: only the latest keyless entry's can be active
    /// (each entry checks the one before), so one point read, and only when the user has keyless entries there.
    /// </summary>
    private void ReadKeyless(string userId, PartitionScope scope, Dictionary<string, JourneyEntries> ledgers, List<EnrollmentState> active)
    {
        foreach (var (journeyId, rows) in scope.Journeys)
        {
            if (rows.Whole || !rows.Keyless || ledgers.GetValueOrDefault(journeyId) is not { At.Count: > 0 } entries)
            {
                continue;
            }
            var row = Users.GetEntityIfExists<TableEntity>(userId, UserRows.Enrollment(journeyId, entries.At.Count));
            if (row.HasValue && row.Value!.GetBoolean("Active") == true)
            {
                Interlocked.Increment(ref _rowsRead);
                Interlocked.Increment(ref _enrollmentRowsRead);
                active.Add(TableEnrollmentStore.ToState(row.Value));
            }
        }
    }

    public CommitOutcome Commit(UserChanges changes)
    {
        var (profileTag, counterTag) = Versions.Read(changes.ExpectedProfileVersion);
        var actions = new List<TableTransactionAction>(6);
        if (changes.MessageId is { } messageId)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(changes.UserId, UserRows.Dedupe(messageId))));
        }
        if (changes.Profile is { } profile)
        {
            actions.Add(profileTag is { } tag
                ? new(TableTransactionActionType.UpdateReplace, TableProfileStore.ToEntity(profile), tag)
                : new(TableTransactionActionType.Add, TableProfileStore.ToEntity(profile)));
        }
        if (changes.Appended is { } appended)
        {
            var row = TableHistoryStore.ToEntity(changes.UserId, appended);
            // what a pulling orchestration decides the event with: its time of processing, and which message it was
            row[TableHistoryStore.ProcessedAtColumn] = changes.ProcessedAt ?? appended.Timestamp;
            row[TableHistoryStore.MessageIdColumn] = changes.MessageId;
            if (changes.HistoryOnly) row[HistoryOnlyColumn] = true; // a merged anonymous event: no pull takes it as an arrival
            actions.Add(new(TableTransactionActionType.Add, row));
            var counter = new TableEntity(changes.UserId, UserRows.Sequence) { ["Last"] = appended.Sequence };
            actions.Add(counterTag is { } tag
                ? new(TableTransactionActionType.UpdateReplace, counter, tag)
                : new(TableTransactionActionType.Add, counter));
        }
        foreach (var (segment, member) in changes.Memberships ?? [])
        {
            var row = new TableEntity(changes.UserId, UserRows.Membership(segment));
            actions.Add(member ? new(TableTransactionActionType.UpsertReplace, row) : new(TableTransactionActionType.Delete, row, ETag.All));
        }
        if (actions.Count == 0)
        {
            return CommitOutcome.Committed;
        }
        try
        {
            Users.SubmitTransaction(actions);
            return CommitOutcome.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && changes.MessageId is not null && e.FailedTransactionActionIndex == 0)
        {
            return CommitOutcome.Duplicate; // the dedupe row exists: a repeat, nothing was written
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return CommitOutcome.Conflict;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && changes.MessageId is null)
        {
            return CommitOutcome.Committed; // a membership already gone
        }
    }

    public bool RecordEntry(EnrollmentState started, JourneyEntries previous, string? marker = null)
    {
        var ledger = TableEntryLedger.ToEntity(EntryKeys.Scope(started.JourneyId, started.Key), started.UserId, [.. previous.At, started.EnteredAt]);
        var actions = new List<TableTransactionAction>(3)
        {
            previous.Version is { } version
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ledger, new ETag(version))
                : new TableTransactionAction(TableTransactionActionType.Add, ledger),
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, TableEnrollmentStore.ToEntity(started)),
        };
        if (marker is not null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(started.UserId, UserRows.Dedupe(marker))));
        }
        try
        {
            Users.SubmitTransaction(actions);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false; // a raced ledger, or the marker is there (the caller reads again and sees it)
        }
    }

    /// <summary>
    /// One engine decision's writes to the user's partition as one entity-group transaction: the enrollment row
    /// (a merge: the claim and stop columns stay), its trace rows and its send-log rows, all keyed by
    /// <paramref name="scope"/> (the decision), so a retried activity rewrites the same rows. The trace rows go to
    /// the by-journey table too, in one batch of their own (one journey, one partition). Profile updates are not
    /// here: a merge needs the profile as it is, read apart.
    /// </summary>
    public void Apply(EnrollmentState after, IReadOnlyList<TraceRecord> traces, IReadOnlyList<DateTimeOffset> sendTimes, string scope)
    {
        var actions = new List<TableTransactionAction>(1 + traces.Count + sendTimes.Count)
        {
            new(TableTransactionActionType.UpsertMerge, TableEnrollmentStore.ToEntity(after)),
        };
        var byJourney = new List<TableTransactionAction>(traces.Count);
        for (var i = 0; i < traces.Count; i++)
        {
            var rowKey = UserRows.Trace(traces[i].At, scope, i);
            var json = TableTraceOutput.TraceJson(traces[i]);
            actions.Add(new(TableTransactionActionType.UpsertReplace, TableTraceOutput.UserRow(traces[i], rowKey, json)));
            byJourney.Add(new(TableTransactionActionType.UpsertReplace, JourneyTraceRows.Row(traces[i], rowKey, json)));
        }
        for (var i = 0; i < sendTimes.Count; i++)
        {
            actions.Add(new(TableTransactionActionType.UpsertReplace, new TableEntity(after.UserId, UserRows.Send(sendTimes[i], $"{scope}~{i}"))));
        }
        Users.SubmitTransaction(actions);
        if (byJourney.Count > 0)
        {
            tables.JourneyTrace.SubmitTransaction(byJourney);
        }
    }

    public void RequestStop(EnrollmentState enrollment, DateTimeOffset at) =>
        MarkEnrollment(enrollment, StopColumn, new TableEntity(enrollment.UserId, UserRows.Enrollment(enrollment)) { [StopColumn] = at });

    public void RequestSegmentExit(EnrollmentState enrollment, SegmentExit exit) =>
        MarkEnrollment(enrollment, LeftSegmentColumn, new TableEntity(enrollment.UserId, UserRows.Enrollment(enrollment))
        {
            [LeftSegmentColumn] = exit.Segment,
            [LeftAtColumn] = exit.At,
            [LeftAfterColumn] = exit.AfterSequence,
        });

    /// <summary>Merges <paramref name="columns"/> into the enrollment row unless <paramref name="column"/> is set there: a repeat keeps the first.</summary>
    private void MarkEnrollment(EnrollmentState enrollment, string column, TableEntity columns)
    {
        var row = Users.GetEntityIfExists<TableEntity>(columns.PartitionKey, columns.RowKey, [column]);
        if (row.HasValue && row.Value![column] is null)
        {
            // a merge keeps the state the orchestration writes; the ETag keeps a racing first mark
            try
            {
                Users.UpdateEntity(columns, row.Value.ETag, TableUpdateMode.Merge);
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                MarkEnrollment(enrollment, column, columns); // the row changed (the orchestration saved its state): look again
            }
        }
    }

    public PullResult Pull(PullRequest request)
    {
        var enrollmentKey = UserRows.EnrollmentRow(request.EnrollmentId, request.UserId);
        var filter = $"PartitionKey eq {KeyText.Literal(request.UserId)} and (({UserRows.Range("h|")}) or RowKey eq '{UserRows.Profile}' or RowKey eq {KeyText.Literal(enrollmentKey)})";
        TableEntity? enrollment = null;
        var traits = Core.Audience.CustomerEvent.EmptyObject;
        var history = new List<HistoryEvent>();
        var pending = new List<PulledEvent>();
        foreach (var row in Users.Query<TableEntity>(filter))
        {
            switch (row.RowKey[0])
            {
                case 'e':
                    enrollment = row;
                    break;
                case 'h':
                    var e = TableHistoryStore.ToEvent(row);
                    history.Add(e);
                    if (e.Sequence > request.AfterSequence && row.GetBoolean(HistoryOnlyColumn) != true)
                    {
                        pending.Add(new PulledEvent(e.Sequence, row.GetString(TableHistoryStore.MessageIdColumn) ?? "",
                            row.GetDateTimeOffset(TableHistoryStore.ProcessedAtColumn) ?? e.Timestamp));
                    }
                    break;
                case 'p':
                    traits = TableProfileStore.ToProfile(request.UserId, row).TraitsValue;
                    break;
            }
        }
        if (enrollment is null || !Claimed(enrollment, request))
        {
            return PullResult.NotOwned;
        }
        IReadOnlyList<DateTimeOffset> sends = request.SendsSince == DateTimeOffset.MaxValue ? [] : SendTimes(request.UserId, request.SendsSince);
        var left = enrollment.GetString(LeftSegmentColumn) is { } segment
            ? new SegmentExit(segment, enrollment.GetDateTimeOffset(LeftAtColumn)!.Value, enrollment.GetInt64(LeftAfterColumn)!.Value)
            : null;
        return new PullResult(true, pending, enrollment.GetDateTimeOffset(StopColumn), traits, history, sends, left);
    }

    /// <summary>The run's token is the enrollment's, or becomes it when none is there (the first run's first pull).</summary>
    private bool Claimed(TableEntity enrollment, PullRequest request)
    {
        if (enrollment.GetString(ClaimColumn) is { } claim)
        {
            return claim == request.Claim;
        }
        try
        {
            Users.UpdateEntity(new TableEntity(enrollment.PartitionKey, enrollment.RowKey) { [ClaimColumn] = request.Claim }, enrollment.ETag, TableUpdateMode.Merge);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // the row changed since the read: another run may have claimed it first
            var now = Users.GetEntity<TableEntity>(enrollment.PartitionKey, enrollment.RowKey);
            return Claimed(now.Value, request);
        }
    }

    private List<DateTimeOffset> SendTimes(string userId, DateTimeOffset since) =>
        Users.Query<TableEntity>(
                $"PartitionKey eq {KeyText.Literal(userId)} and RowKey gt {KeyText.Literal("s|" + UserRows.Ticks(since) + "|~")} and RowKey lt 's|~'",
                select: ["RowKey"])
            .Select(r => new DateTimeOffset(long.Parse(r.RowKey.AsSpan(2, 19), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero))
            .ToList();

    public bool IsSent(string userId, string idempotencyKey) =>
        Users.GetEntityIfExists<TableEntity>(userId, UserRows.Sent(idempotencyKey), ["RowKey"]).HasValue;

    public void MarkSent(string userId, string idempotencyKey, DateTimeOffset at) =>
        Users.UpsertEntity(new TableEntity(userId, UserRows.Sent(idempotencyKey)) { ["At"] = at }, TableUpdateMode.Replace);

    public IEnumerable<string> UserIds() => new TableProfileStore(Users).UserIds();

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) => new TableEnrollmentStore(Users).ActiveIn(journeyId);

    /// <summary>The snapshot's opaque version: the profile row's and the history counter's ETags.</summary>
    private static class Versions
    {
        public static string Write(ETag? profile, ETag? counter) => $"{profile}\n{counter}";

        public static (ETag? Profile, ETag? Counter) Read(string? version)
        {
            if (version is null)
            {
                return (null, null);
            }
            var parts = version.Split('\n');
            return (parts[0].Length == 0 ? null : new ETag(parts[0]), parts[1].Length == 0 ? null : new ETag(parts[1]));
        }
    }
}
