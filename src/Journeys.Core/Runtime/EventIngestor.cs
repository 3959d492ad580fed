using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Orchestration;

namespace Journeys.Core.Runtime;

/// <summary>
/// The Azure runtime's ingestion decisions (DESIGN §5), in the single-node runtime's order: dedupe,
/// profile and history, deliver to active enrollments, event entries, streaming segments. Enrollments
/// run elsewhere (<see cref="IEnrollmentSignals"/>); the user's data is one partition
/// (<see cref="IUserPartition"/>). An event that concerns no journey — no active enrollment to hand it
/// to, no entry condition it meets, no segment it makes the user join — costs one read and one write.
/// </summary>
public sealed class EventIngestor(
    Func<DefinitionSet> definitions,
    IUserPartition users,
    IEnrollmentSignals signals,
    IRuntimeOutput output,
    Func<string, bool>? isPaused = null,
    IEntryCounters? counters = null,
    IExperimentConversions? experiments = null)
{
    private const int MaxAttempts = 5;

    /// <summary>Entries of journeys with <c>limits</c>, counted across every ingestion instance; in memory when none is given (one process).</summary>
    private readonly IEntryCounters _counters = counters ?? new InMemory.InMemoryJourneyCounters();

    /// <summary>The winner-rule splits of the last definition set seen, by converting event (a set is swapped whole on publish).</summary>
    private (DefinitionSet Set, ExperimentIndex Index)? _experiments;

    /// <summary>Processes one event at <paramref name="at"/> (the caller's clock; never earlier than the previous event's).</summary>
    public IngestOutcome Ingest(CustomerEvent e, DateTimeOffset at)
    {
        AnonymousMerge.OnIdentify(users, e);
        var set = definitions(); // one set for the whole event: the read's scope is derived from it
        var scope = IngestionScope.ForEvent(set, e);
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = users.Load(e.UserId, e.MessageId, scope);
            if (snapshot.Seen)
            {
                return Redelivered(snapshot);
            }
            if (TryIngest(set, e, at, snapshot, scope) is { } outcome)
            {
                return outcome;
            }
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"the user's partition kept changing under {MaxAttempts} attempts to ingest one event");
            }
        }
    }

    /// <returns>Null when the partition changed since <paramref name="snapshot"/> (nothing was written).</returns>
    /// <param name="scope">What <paramref name="snapshot"/> holds of the user's enrollments; each read after it takes the same.</param>
    private IngestOutcome? TryIngest(DefinitionSet set, CustomerEvent e, DateTimeOffset at, UserSnapshot snapshot, PartitionScope scope)
    {
        var profile = snapshot.Profile ?? Profile.Empty(e.UserId);
        Profile? save = null;
        HistoryEvent? appended = null;
        var history = snapshot.History;
        var track = e.Type == EventType.Track;
        if (!track)
        {
            profile = profile.Merge(e.Traits);
            save = profile;
        }
        else
        {
            save = snapshot.Profile is null ? profile : null;
            // an event stamped ahead of the processing clock is kept at the processing time (as the runtime does)
            var added = new HistoryEvent(snapshot.LastSequence + 1, e.Event!, e.Timestamp > at ? at : e.Timestamp, e.Properties);
            appended = added;
            history = [.. history, added];
        }
        var context = new ConditionContext(profile, e.Properties, history, at);
        var entries = track ? set.EnteredByEvent(e.Event!) : [];
        var memberships = Memberships(set, snapshot.Segments, context, out var joins);
        var concerned = (track && AnyReached(set, snapshot.Active, e)) || joins || AnyEntryMatches(entries, context)
            || LeavesAnExitSegment(set, memberships, snapshot.Active);
        var changes = new UserChanges(e.UserId, e.MessageId, save, snapshot.ProfileVersion, appended, concerned ? null : memberships, at);
        switch (users.Commit(changes))
        {
            case CommitOutcome.Duplicate:
                return Redelivered(snapshot);
            case CommitOutcome.Conflict:
                return null;
        }
        if (track && experiments is not null && Experiments(set).ConvertedBy(e.Event!) is { Count: > 0 } converted)
        {
            // after the event is recorded, as the single-node runtime converts (a redelivered one is not converted again)
            ExperimentConversion.Convert(converted, experiments, e.UserId, at, context, output.Counted);
        }
        if (!concerned)
        {
            return IngestOutcome.Accepted; // the common case: one read, one write
        }

        // from here on, each step sees what the previous ones did, as in the single-node runtime
        var current = snapshot with { Profile = profile, History = history };
        if (track)
        {
            // the event is in the user's history now: each active enrollment it reaches pulls it when woken
            if (WakeReached(set, snapshot.Active, e))
            {
                current = users.Load(e.UserId, null, scope);
            }
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].EntryWhere.Evaluate(Context(current, e.Properties, at)) && TryEnroll(entries[i], ref current, at, e, scope))
                {
                    current = users.Load(e.UserId, null, scope);
                }
            }
        }
        EvaluateStreamingSegments(set, e, at, ref current, scope);
        return IngestOutcome.Accepted;
    }

    /// <summary>Tallies are kept for winner rules alone on this runtime: other experiments are read from the trace.</summary>
    private ExperimentIndex Experiments(DefinitionSet set)
    {
        if (_experiments is not { } cached || !ReferenceEquals(cached.Set, set))
        {
            _experiments = cached = (set, new ExperimentIndex(set.Journeys, winnersOnly: true));
        }
        return cached.Index;
    }

    /// <summary>
    /// Whether a scheduled journey still runs at <paramref name="at"/>: once its window has closed the
    /// schedule ends (rather than reject everyone forever).
    /// </summary>
    public static bool ScheduleOpen(CompiledJourney journey, DateTimeOffset at) =>
        journey.Definition.Window?.Until is not { } closes || at <= closes;

    /// <summary>The run after the one due at <paramref name="due"/> (on the grid, so late runs do not drift); null for a one-off.</summary>
    public static DateTimeOffset? NextRun(CompiledJourney journey, DateTimeOffset due) =>
        ((ScheduleEntry)journey.Definition.Entry).Every is { } every ? every.AddTo(due) : null;

    /// <summary>
    /// A scheduled run (DESIGN §4): everyone in the schedule's segment and the audience is a candidate.
    /// The driver records the next run first (<see cref="NextRun"/>), as the single-node runtime does.
    /// </summary>
    public void RunSchedule(CompiledJourney journey, DateTimeOffset at)
    {
        if (isPaused?.Invoke(journey.Id) == true)
        {
            return;
        }
        var schedule = (ScheduleEntry)journey.Definition.Entry;
        var segment = schedule.Segment is null ? null : definitions().Segment(schedule.Segment);
        var scope = IngestionScope.ForEntry(journey, entryEvent: null);
        foreach (var userId in users.UserIds().ToList())
        {
            var snapshot = users.Load(userId, null, scope);
            var context = Context(snapshot, CustomerEvent.EmptyObject, at);
            // a scheduled run addresses its audience; the others are not candidates, so not rejected
            if ((segment is null || segment.Evaluate(context)) && EntryRules.InAudience(journey, context))
            {
                TryEnroll(journey, ref snapshot, at, entryEvent: null, scope);
            }
        }
    }

    /// <summary>Stops a journey: each active enrollment's stop is recorded in its partition, then it is woken to exit (<c>stopped</c>).</summary>
    public int Stop(string journeyId, DateTimeOffset at)
    {
        var stopped = 0;
        foreach (var enrollment in users.ActiveIn(journeyId).ToList())
        {
            users.RequestStop(enrollment, at);
            signals.Wake(enrollment);
            stopped++;
        }
        return stopped;
    }

    /// <summary>
    /// A message seen before: Event Hubs redelivers a batch that was not checkpointed, also after a crash between
    /// this event's partition write and its starts and wakes. Those are made sure of again (each is harmless to
    /// repeat): every active enrollment the event could concern (the snapshot's: <see cref="IngestionScope"/>) is started
    /// if it has no instance, else woken.
    /// </summary>
    private IngestOutcome Redelivered(UserSnapshot snapshot)
    {
        foreach (var enrollment in snapshot.Active)
        {
            signals.Wake(enrollment);
        }
        return IngestOutcome.Duplicate;
    }

    private static IReadOnlyList<KeyValuePair<string, bool>> Memberships(DefinitionSet set, IReadOnlySet<string> current, in ConditionContext context, out bool joins)
    {
        joins = false;
        List<KeyValuePair<string, bool>>? changes = null;
        var segments = set.StreamingSegments;
        for (var i = 0; i < segments.Count; i++)
        {
            var member = set.StreamingSegmentConditions[i].Evaluate(context);
            if (member != (current.Count > 0 && current.Contains(segments[i])))
            {
                (changes ??= []).Add(new(segments[i], member));
                joins |= member;
            }
        }
        return changes ?? (IReadOnlyList<KeyValuePair<string, bool>>)[];
    }

    private static bool AnyEntryMatches(IReadOnlyList<CompiledJourney> entries, in ConditionContext context)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].EntryWhere.Evaluate(context)) return true;
        }
        return false;
    }

    /// <summary>Streaming segments: a user who turns from outside to inside enters the journeys that start on it.</summary>
    private void EvaluateStreamingSegments(DefinitionSet set, CustomerEvent e, DateTimeOffset at, ref UserSnapshot current, PartitionScope scope)
    {
        var segments = set.StreamingSegments;
        var members = current.Segments;
        var context = Context(current, e.Properties, at);
        for (var i = 0; i < segments.Count; i++)
        {
            var member = set.StreamingSegmentConditions[i].Evaluate(context);
            if (member == (members.Count > 0 && members.Contains(segments[i])))
            {
                continue;
            }
            // the exits are recorded before the membership goes: a crash in between leaves the user a member, and the next event looks again
            var exiting = member ? [] : RecordSegmentExits(set, segments[i], current, at);
            users.Commit(new UserChanges(e.UserId, Memberships: [new(segments[i], member)]));
            if (!member)
            {
                foreach (var enrollment in exiting)
                {
                    signals.Wake(enrollment);
                }
                continue;
            }
            var enrolled = false;
            foreach (var journey in set.EnteredBySegment(segments[i]))
            {
                if (TryEnroll(journey, ref current, at, e, scope))
                {
                    enrolled = true;
                    current = users.Load(e.UserId, null, scope);
                }
            }
            if (enrolled)
            {
                context = Context(current, e.Properties, at);
            }
        }
    }

    /// <summary>
    /// The entry checks in DESIGN order, then the entry: ledger and enrollment row, then the orchestration. A keyed
    /// journey (DESIGN §9) counts entries per key (<see cref="EntryRules.Scope"/>) and is active per key.
    /// </summary>
    /// <param name="read">What <paramref name="snapshot"/> holds (at least <see cref="IngestionScope.ForEntry"/>): a read again takes the same.</param>
    /// <param name="marker">Recorded with the entry (a jump's id: <see cref="Jump"/>).</param>
    private bool TryEnroll(CompiledJourney journey, ref UserSnapshot snapshot, DateTimeOffset at, CustomerEvent? entryEvent, PartitionScope read, string? marker = null)
    {
        if (isPaused?.Invoke(journey.Id) == true)
        {
            return false; // the journey takes no one: not a rejection of the user
        }
        var key = EntryRules.KeyOf(journey, entryEvent);
        var scope = EntryRules.Scope(journey, key);
        var counted = false;
        for (var attempt = 1; ; attempt++)
        {
            var entries = snapshot.EntriesOf(scope);
            var reason = EntryRules.Admission(journey, at, Context(snapshot, entryEvent?.Properties ?? CustomerEvent.EmptyObject, at))
                ?? EntryRules.Reentry(journey, at, IsActive(journey, snapshot, key, entries.At), entries.At);
            // limits last (after cap, as the single-node runtime checks them), counted before the entry is recorded: a
            // crash or a lost ledger race in between leaves one count with no entry, never an entry beyond a limit;
            // counted once per call, however often the ledger race makes it decide again
            if (reason is null && !counted && journey.Definition.Limits is { } limits)
            {
                counted = _counters.TryRecordEntry(journey.Id, at, limits);
                reason = counted ? null : TraceReason.Limit;
            }
            if (reason is not null)
            {
                output.Trace(new TraceRecord(at, snapshot.UserId, journey.Id, TraceKind.Rejected, Reason: reason));
                if (marker is not null)
                {
                    users.Commit(new UserChanges(snapshot.UserId, MessageId: marker)); // a retried jump finds it decided
                }
                return false;
            }
            var state = JourneyEngine.Start(journey, snapshot.UserId, key, entries.At.Count + 1, at, entryEvent, snapshot.LastSequence);
            if (users.RecordEntry(state, entries, marker))
            {
                signals.Start(state);
                return true;
            }
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"the entry ledger of {journey.Id} kept changing under {MaxAttempts} attempts");
            }
            snapshot = users.Load(snapshot.UserId, marker, read); // another entry raced this one: decide again on what it wrote
            if (snapshot.Seen)
            {
                return false; // the marked entry was made meanwhile (a jump activity run twice at once)
            }
        }
    }

    /// <summary>Whether the user is active in the journey, for a keyed one in the key's enrollment, as the single-node runtime asks.</summary>
    private static bool IsActive(CompiledJourney journey, UserSnapshot snapshot, string? key, IReadOnlyList<DateTimeOffset> entries)
    {
        if (EntryRules.ActiveEnrollmentId(journey, snapshot.UserId, key, entries) is not { } id)
        {
            return journey.EntryKeyPath is null && snapshot.IsActiveIn(journey.Id);
        }
        foreach (var enrollment in snapshot.Active)
        {
            if (string.Equals(enrollment.EnrollmentId, id, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// A jump step's entry (DESIGN §9): the user enters <see cref="JumpTo.JourneyId"/> by its entry rules other than its
    /// trigger (window, audience, active, once, lock, cap), the carried entry event picking the key. An activity runs
    /// this, so at least once: the entry is recorded with <paramref name="marker"/> (the jumping decision's id), and a
    /// run that finds the marker only makes sure the target's enrollments run (a start lost to a crash).
    /// </summary>
    public void Jump(JumpTo jump, string marker)
    {
        if (definitions().Journey(jump.JourneyId) is not { } target)
        {
            return; // unpublished since the jump was validated: nothing to enter
        }
        var scope = IngestionScope.ForEntry(target, jump.EntryEvent);
        var snapshot = users.Load(jump.UserId, marker, scope);
        if (snapshot.Seen)
        {
            foreach (var enrollment in snapshot.Active)
            {
                if (string.Equals(enrollment.JourneyId, target.Id, StringComparison.Ordinal))
                {
                    signals.Wake(enrollment);
                }
            }
            return;
        }
        TryEnroll(target, ref snapshot, jump.At, jump.EntryEvent, scope, marker);
    }

    /// <summary>Whether the event reaches an active enrollment (<see cref="EntryRules.Reaches"/>; an unknown version is woken to look).</summary>
    private static bool Reaches(DefinitionSet set, EnrollmentState enrollment, CustomerEvent e) =>
        set.Journey(enrollment.JourneyId, enrollment.Version) is not { } journey || EntryRules.Reaches(journey, enrollment, e);

    private static bool AnyReached(DefinitionSet set, IReadOnlyList<EnrollmentState> active, CustomerEvent e)
    {
        foreach (var enrollment in active)
        {
            if (Reaches(set, enrollment, e)) return true;
        }
        return false;
    }

    /// <returns>Whether any was woken.</returns>
    private bool WakeReached(DefinitionSet set, IReadOnlyList<EnrollmentState> active, CustomerEvent e)
    {
        var woken = false;
        foreach (var enrollment in active)
        {
            if (Reaches(set, enrollment, e))
            {
                signals.Wake(enrollment);
                woken = true;
            }
        }
        return woken;
    }

    /// <summary>Whether a membership change makes the user leave a segment that an active enrollment's journey exits on.</summary>
    private static bool LeavesAnExitSegment(DefinitionSet set, IReadOnlyList<KeyValuePair<string, bool>> memberships, IReadOnlyList<EnrollmentState> active)
    {
        if (active.Count == 0)
        {
            return false;
        }
        foreach (var (segment, member) in memberships)
        {
            if (!member && ExitsOn(set, segment, active).Count > 0) return true;
        }
        return false;
    }

    private static List<EnrollmentState> ExitsOn(DefinitionSet set, string segment, IReadOnlyList<EnrollmentState> active)
    {
        var journeys = set.ExitedBySegment(segment);
        var exiting = new List<EnrollmentState>();
        if (journeys.Count > 0)
        {
            foreach (var enrollment in active)
            {
                if (journeys.Contains(enrollment.JourneyId)) exiting.Add(enrollment);
            }
        }
        return exiting;
    }

    /// <summary>
    /// exit.segments (DESIGN §9): the user left <paramref name="segment"/>, so each active enrollment of a journey that
    /// exits on it gets the exit recorded in the user's partition, after the user's events so far; its orchestration
    /// pulls it (woken once the membership change is written).
    /// </summary>
    private List<EnrollmentState> RecordSegmentExits(DefinitionSet set, string segment, UserSnapshot current, DateTimeOffset at)
    {
        var exiting = ExitsOn(set, segment, current.Active);
        foreach (var enrollment in exiting)
        {
            users.RequestSegmentExit(enrollment, new SegmentExit(segment, at, current.LastSequence));
        }
        return exiting;
    }

    private static ConditionContext Context(UserSnapshot snapshot, Value eventProperties, DateTimeOffset at) =>
        new(snapshot.Profile ?? Profile.Empty(snapshot.UserId), eventProperties, snapshot.History, at);
}
