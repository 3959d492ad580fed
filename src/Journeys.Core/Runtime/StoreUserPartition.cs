using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Runtime;

/// <summary>
/// <see cref="IUserPartition"/> and <see cref="IEnrollmentPartition"/> over the runtime's ports (in memory for
/// tests and the Azure harness), counting the storage transactions the Table Storage implementation makes
/// for the same ingestion calls: one per <see cref="Load"/> (a partition query), one per <see cref="Commit"/>
/// and <see cref="RecordEntry"/> (an entity-group transaction). What the ports do not hold (processing times,
/// claims, stops, sent-marks) it keeps itself. Not atomic itself; the ports are in memory.
/// </summary>
public sealed class StoreUserPartition(RuntimeStores stores) : IUserPartition, IEnrollmentPartition
{
    private readonly Dictionary<(string User, long Sequence), (string MessageId, DateTimeOffset At)> _processed = [];
    private readonly Dictionary<string, string> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _stops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SegmentExit> _exits = new(StringComparer.Ordinal);
    private readonly HashSet<string> _markers = new(StringComparer.Ordinal);
    private readonly HashSet<(string User, string Key)> _sent = [];
    private readonly HashSet<(string User, long Sequence)> _historyOnly = [];

    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public int Transactions => Reads + Writes;

    /// <summary>Enrollment rows the Table Storage read would return for the loads so far: the active enrollments in their scope.</summary>
    public long EnrollmentRowsRead { get; private set; }

    public UserSnapshot Load(string userId, string? messageId) => Load(userId, messageId, PartitionScope.Everything);

    public UserSnapshot Load(string userId, string? messageId, PartitionScope scope)
    {
        Reads++;
        var active = scope.IsEverything ? stores.Enrollments.ActiveFor(userId) : stores.Enrollments.ActiveFor(userId).Where(scope.Contains).ToList();
        EnrollmentRowsRead += active.Count;
        // the ports cannot look a message id up without adding it: the commit reports the repeat
        return new UserSnapshot(
            userId,
            Seen: messageId is not null && _markers.Contains(messageId), // only entries' markers: Commit reports a repeated event
            stores.Profiles.Find(userId),
            ProfileVersion: null,
            stores.History.Get(userId),
            active,
            ledger => scope.HasLedger(ledger)
                ? new JourneyEntries(stores.Entries.Entries(ledger, userId), null)
                : throw new InvalidOperationException($"the entry ledger {ledger} of user {userId} is outside the read"),
            stores.Memberships.SegmentsOf(userId));
    }

    public CommitOutcome Commit(UserChanges changes)
    {
        Writes++;
        if (changes.MessageId is { } messageId && !stores.Dedupe.TryAdd(messageId))
        {
            return CommitOutcome.Duplicate;
        }
        if (changes.MessageId is { } mark && changes.Appended is null && changes.Profile is null && (changes.Memberships?.Count ?? 0) == 0)
        {
            _markers.Add(mark); // a mark alone (a jump's rejection): Load reports it seen, as a Table read of its row does
        }
        if (changes.Profile is { } profile)
        {
            stores.Profiles.Save(profile);
        }
        if (changes.Appended is { } e)
        {
            var appended = stores.History.Append(changes.UserId, e.Event, e.Timestamp, e.Properties);
            if (appended.Sequence != e.Sequence)
            {
                throw new InvalidOperationException($"history sequence {appended.Sequence}, expected {e.Sequence}: the partition changed under a commit");
            }
            _processed[(changes.UserId, e.Sequence)] = (changes.MessageId ?? "", changes.ProcessedAt ?? e.Timestamp);
            if (changes.HistoryOnly) _historyOnly.Add((changes.UserId, e.Sequence));
        }
        foreach (var (segment, member) in changes.Memberships ?? [])
        {
            stores.Memberships.Set(segment, changes.UserId, member);
        }
        return CommitOutcome.Committed;
    }

    public bool RecordEntry(EnrollmentState started, JourneyEntries previous, string? marker = null)
    {
        Writes++;
        if (marker is not null && !_markers.Add(marker))
        {
            return false;
        }
        stores.Entries.Record(EntryKeys.Scope(started.JourneyId, started.Key), started.UserId, started.EnteredAt);
        stores.Enrollments.Save(started);
        return true;
    }

    public void RequestStop(EnrollmentState enrollment, DateTimeOffset at) => _stops.TryAdd(enrollment.EnrollmentId, at);

    public void RequestSegmentExit(EnrollmentState enrollment, SegmentExit exit)
    {
        Reads++; // the Table implementation reads the row's mark, then merges it
        Writes++;
        _exits.TryAdd(enrollment.EnrollmentId, exit);
    }

    public IEnumerable<string> UserIds() => stores.Profiles.UserIds();

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) => stores.Enrollments.ActiveIn(journeyId);

    public PullResult Pull(PullRequest request)
    {
        if (!_claims.TryAdd(request.EnrollmentId, request.Claim) && _claims[request.EnrollmentId] != request.Claim)
        {
            return PullResult.NotOwned;
        }
        var history = stores.History.Get(request.UserId);
        var pending = new List<PulledEvent>();
        foreach (var e in history)
        {
            if (e.Sequence > request.AfterSequence && !_historyOnly.Contains((request.UserId, e.Sequence)))
            {
                // an event appended past the ingestion (tests) was processed at its timestamp
                var (messageId, at) = _processed.GetValueOrDefault((request.UserId, e.Sequence), ("", e.Timestamp));
                pending.Add(new PulledEvent(e.Sequence, messageId, at));
            }
        }
        var sends = request.SendsSince == DateTimeOffset.MaxValue ? []
            : stores.Sends is InMemorySendLog log ? log.TimesSince(request.UserId, request.SendsSince)
            : throw new NotSupportedException("the in-memory partition reads send times from the in-memory send log only");
        return new PullResult(
            true,
            pending,
            _stops.TryGetValue(request.EnrollmentId, out var stop) ? stop : null,
            (stores.Profiles.Find(request.UserId) ?? Profile.Empty(request.UserId)).TraitsValue,
            history,
            sends,
            _exits.GetValueOrDefault(request.EnrollmentId));
    }

    public bool IsSent(string userId, string idempotencyKey) => _sent.Contains((userId, idempotencyKey));

    public void MarkSent(string userId, string idempotencyKey, DateTimeOffset at) => _sent.Add((userId, idempotencyKey));
}
