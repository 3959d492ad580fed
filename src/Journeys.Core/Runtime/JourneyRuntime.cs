using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Runtime;

/// <summary>
/// The single-node driver (DESIGN §5): ingest -> dedupe -> profile and history -> deliver to active
/// enrollments -> evaluate entries -> advance -> effects, with timers and scheduled runs in a
/// due-time index. Time comes in with each call; the runtime never reads a clock, so the simulator
/// runs it on virtual time and the server on real time. Not thread-safe: one caller at a time
/// (the server partitions users across instances or serializes calls).
/// </summary>
public sealed class JourneyRuntime
{
    private readonly RuntimeStores _stores;
    private readonly IRuntimeOutput _output;
    private readonly JourneyEngine _engine;
    private readonly List<Effect> _effects = new(16);
    private DateTimeOffset _now = DateTimeOffset.MinValue;
    private string? _historyUser;
    private IReadOnlyList<HistoryEvent>? _history;
    private readonly HashSet<string> _paused = new(StringComparer.Ordinal);
    private readonly IJourneyCounters _counters;
    private ExperimentIndex _experiments;

    public JourneyRuntime(DefinitionSet definitions, RuntimeStores stores, IRuntimeOutput output, EngineOptions? options = null)
    {
        Definitions = definitions;
        _stores = stores;
        _output = output;
        _engine = new JourneyEngine(options);
        _counters = stores.Counters ?? new InMemoryJourneyCounters();
        _experiments = new ExperimentIndex(definitions.Journeys);
        SeedSchedules();
    }

    public DefinitionSet Definitions { get; private set; }

    /// <summary>
    /// Serves a new set of definitions (a publish): entries use each journey's new current version;
    /// running enrollments stay on the version they entered, which the set keeps as retired.
    /// </summary>
    public void Use(DefinitionSet definitions)
    {
        Definitions = definitions;
        _experiments = new ExperimentIndex(definitions.Journeys);
        SeedSchedules();
    }

    /// <summary>A paused journey takes no entries and its scheduled runs enrol no one; its enrollments go on.</summary>
    public void Pause(string journeyId) => _paused.Add(journeyId);

    public void Resume(string journeyId) => _paused.Remove(journeyId);

    public bool IsPaused(string journeyId) => _paused.Contains(journeyId);

    /// <summary>
    /// Drops what the runtime caches from its stores. A driver whose transaction rolled back calls
    /// it before going on: the cache may hold rows the rollback removed.
    /// </summary>
    public void ForgetCaches()
    {
        _historyUser = null;
        _history = null;
    }

    private void SeedSchedules()
    {
        foreach (var journey in Definitions.Journeys)
        {
            // persistent stores keep the pending run across restarts: seed only a schedule that has none
            if (journey.Definition.Entry is ScheduleEntry schedule && !_stores.Timers.HasScheduledRun(journey.Id))
            {
                _stores.Timers.Schedule(new DueItem(schedule.At, null, journey.Id));
            }
        }
    }

    /// <summary>The latest instant the runtime has processed.</summary>
    public DateTimeOffset Now => _now;

    /// <summary>
    /// Processes one event at <paramref name="at"/>: everything due at or before it happens first.
    /// Time never runs backwards: an event stamped earlier than what was processed runs at <see cref="Now"/>.
    /// </summary>
    public IngestOutcome Ingest(CustomerEvent e, DateTimeOffset at)
    {
        if (!_stores.Dedupe.TryAdd(e.MessageId))
        {
            return IngestOutcome.Duplicate;
        }
        AdvanceTo(at);
        at = _now;
        if (e.AnonymousId is { } anonymousId)
        {
            MergeAnonymous(anonymousId, e.UserId);
        }

        var known = _stores.Profiles.Find(e.UserId);
        var profile = known ?? Profile.Empty(e.UserId);
        // a delivered event or an enrollment may run update steps: then the profile is read again
        var profileStale = false;
        if (e.Type == EventType.Identify)
        {
            profile = profile.Merge(e.Traits);
            _stores.Profiles.Save(profile);
        }
        else
        {
            if (known is null)
            {
                _stores.Profiles.Save(profile);
            }
            // an event stamped ahead of the processing clock (client skew) is kept at the processing
            // time, so history windows ending "now" always include the event being processed
            _stores.History.Append(e.UserId, e.Event!, e.Timestamp > at ? at : e.Timestamp, e.Properties);
            _historyUser = null;
            // an event no enrollment can act on does not read them: many open keyed enrollments cost an unrelated event nothing
            var active = Definitions.AnyReactsTo(e.Event!) ? _stores.Enrollments.ActiveFor(e.UserId) : [];
            for (var i = 0; i < active.Count; i++)
            {
                if (Definitions.Journey(active[i].JourneyId, active[i].Version) is { } journey
                    && EntryRules.Reaches(journey, active[i], e))
                {
                    Advance(journey, active[i], new EventArrived(at, e));
                    profileStale = true;
                }
            }
            if (_experiments.ConvertedBy(e.Event!) is { Count: > 0 } experiments)
            {
                ExperimentConversion.Convert(experiments, _counters, e.UserId, at, Context(e, at, profile, profileStale), _output.Counted);
            }
            var entries = Definitions.EnteredByEvent(e.Event!);
            if (entries.Count > 0)
            {
                var context = Context(e, at, profile, profileStale);
                for (var i = 0; i < entries.Count; i++)
                {
                    if (entries[i].EntryWhere.Evaluate(context) && TryEnroll(entries[i], e.UserId, at, e))
                    {
                        profileStale = true;
                        context = Context(e, at, profile, profileStale);
                    }
                }
            }
        }
        EvaluateStreamingSegments(e, at, Context(e, at, profile, profileStale));
        return IngestOutcome.Accepted;
    }

    /// <summary>
    /// Identity resolution (DESIGN §3): the anonymous profile's traits (the user's own win) and history join the
    /// user's, once per pair (a dedupe key, so a replay or every later call carrying both ids merges nothing
    /// again). The anonymous profile stays as it was; later calls under the anonymous id alone stay there.
    /// </summary>
    public void MergeAnonymous(string anonymousId, string userId)
    {
        if (anonymousId == userId || _stores.Profiles.Find(anonymousId) is not { } anonymous
            || !_stores.Dedupe.TryAdd(AnonymousMerge.PairKey(anonymousId, userId)))
        {
            return;
        }
        _stores.Profiles.Save(AnonymousMerge.Traits(userId, anonymous, _stores.Profiles.Find(userId)));
        foreach (var h in _stores.History.Get(anonymousId))
        {
            _stores.History.Append(userId, h.Event, h.Timestamp, h.Properties);
        }
        _historyUser = null;
    }

    /// <summary>Fires every timer and scheduled run due at or before <paramref name="upTo"/>, each at its due time.</summary>
    public void AdvanceTo(DateTimeOffset upTo) => AdvanceTo(upTo, int.MaxValue);

    /// <summary>
    /// Fires at most <paramref name="maxItems"/> of the items due at or before <paramref name="upTo"/>
    /// (a server bounds each transaction this way).
    /// </summary>
    /// <returns>True when nothing due at or before <paramref name="upTo"/> is left.</returns>
    public bool AdvanceTo(DateTimeOffset upTo, int maxItems)
    {
        var taken = 0;
        while (taken < maxItems && _stores.Timers.TryTakeDue(upTo, out var item))
        {
            taken++;
            if (item.Due > _now)
            {
                _now = item.Due;
            }
            if (item.EnrollmentId is { } id)
            {
                var state = _stores.Enrollments.Get(id);
                if (state is { IsActive: true } && state.NextWake == item.Due && Definitions.Journey(state.JourneyId, state.Version) is { } journey)
                {
                    Advance(journey, state, new TimerFired(_now));
                }
            }
            else if (item.JourneyId is { } journeyId && Definitions.Journey(journeyId) is { } scheduled)
            {
                RunSchedule(scheduled, item.Due, _now);
            }
        }
        if (taken == maxItems && _stores.Timers.NextDue is { } next && next <= upTo)
        {
            return false;
        }
        if (upTo > _now)
        {
            _now = upTo;
        }
        return true;
    }

    /// <summary>Stops a journey: every active enrollment exits with reason <c>stopped</c>.</summary>
    public void Stop(string journeyId, DateTimeOffset at)
    {
        AdvanceTo(at);
        foreach (var enrollment in _stores.Enrollments.ActiveIn(journeyId))
        {
            if (Definitions.Journey(journeyId, enrollment.Version) is { } journey)
            {
                Advance(journey, enrollment, new StopRequested(_now));
            }
        }
    }

    /// <summary>Scheduled runs after this instant do not happen (a simulation ends at its horizon).</summary>
    public DateTimeOffset? ScheduleHorizon { get; set; }

    /// <param name="due">The run's place on the schedule; the next run is <c>every</c> after it, so a late run does not drift.</param>
    /// <param name="at">When it actually runs.</param>
    private void RunSchedule(CompiledJourney journey, DateTimeOffset due, DateTimeOffset at)
    {
        var schedule = (ScheduleEntry)journey.Definition.Entry;
        if (ScheduleHorizon is { } horizon && at > horizon)
        {
            return;
        }
        if (journey.Definition.Window?.Until is { } closes && at > closes)
        {
            return; // the window has closed for good: the schedule ends rather than reject everyone forever
        }
        if (schedule.Every is { } every)
        {
            _stores.Timers.Schedule(new DueItem(every.AddTo(due), null, journey.Id));
        }
        if (IsPaused(journey.Id))
        {
            return;
        }
        var segment = schedule.Segment is null ? null : Definitions.Segment(schedule.Segment);
        foreach (var userId in _stores.Profiles.UserIds().ToList())
        {
            var context = Conditions(userId, CustomerEvent.EmptyObject, at);
            // a scheduled run addresses its audience; the others are not candidates, so not rejected
            if ((segment is null || segment.Evaluate(context)) && EntryRules.InAudience(journey, context))
            {
                TryEnroll(journey, userId, at, entryEvent: null);
            }
        }
    }

    /// <summary>Streaming segments: a user who turns from outside to inside enters the journeys that start on it.</summary>
    private void EvaluateStreamingSegments(CustomerEvent e, DateTimeOffset at, ConditionContext context)
    {
        var segments = Definitions.StreamingSegments;
        if (segments.Count == 0)
        {
            return;
        }
        var current = _stores.Memberships.SegmentsOf(e.UserId);
        for (var i = 0; i < segments.Count; i++)
        {
            var member = Definitions.StreamingSegmentConditions[i].Evaluate(context);
            var was = current.Count > 0 && current.Contains(segments[i]);
            if (member == was)
            {
                continue;
            }
            _stores.Memberships.Set(segments[i], e.UserId, member);
            if (!member)
            {
                if (ExitOnLeaving(segments[i], e.UserId, at))
                {
                    context = Conditions(e.UserId, e.Properties, at);
                }
            }
            else
            {
                var enrolled = false;
                foreach (var journey in Definitions.EnteredBySegment(segments[i]))
                {
                    enrolled |= TryEnroll(journey, e.UserId, at, e);
                }
                if (enrolled)
                {
                    context = Conditions(e.UserId, e.Properties, at);
                }
            }
        }
    }

    /// <summary>exit.segments: the user's active enrollments in journeys that exit on the segment they just left end.</summary>
    /// <returns>Whether any enrollment ended.</returns>
    private bool ExitOnLeaving(string segment, string userId, DateTimeOffset at)
    {
        var journeys = Definitions.ExitedBySegment(segment);
        if (journeys.Count == 0)
        {
            return false;
        }
        var ended = false;
        foreach (var state in _stores.Enrollments.ActiveFor(userId))
        {
            if (journeys.Contains(state.JourneyId) && Definitions.Journey(state.JourneyId, state.Version) is { } journey)
            {
                Advance(journey, state, new SegmentLeft(at, segment));
                ended = true;
            }
        }
        return ended;
    }

    /// <summary>The entry checks in DESIGN order (window, audience, active, once, lock, cap), then the enrollment.</summary>
    /// <param name="entryEvent">The event that enrolls (for a keyed journey its key property picks the enrollment), or the one a jump carries over.</param>
    /// <returns>Whether the user was enrolled.</returns>
    private bool TryEnroll(CompiledJourney journey, string userId, DateTimeOffset at, CustomerEvent? entryEvent)
    {
        if (_paused.Count > 0 && _paused.Contains(journey.Id))
        {
            return false; // not a rejection of the user: the journey is not taking anyone
        }
        var key = EntryRules.KeyOf(journey, entryEvent);
        var scope = EntryRules.Scope(journey, key);
        var reason = EntryRules.Admission(journey, at, Conditions(userId, entryEvent?.Properties ?? CustomerEvent.EmptyObject, at));
        IReadOnlyList<DateTimeOffset> entries = [];
        if (reason is null)
        {
            entries = _stores.Entries.Entries(scope, userId);
            var active = EntryRules.ActiveEnrollmentId(journey, userId, key, entries) is { } id
                ? _stores.Enrollments.Get(id) is { IsActive: true }
                : journey.EntryKeyPath is null && _stores.Enrollments.FindActive(journey.Id, userId) is not null;
            reason = EntryRules.Reentry(journey, at, active, entries);
        }
        if (reason is null && EntryRules.HasLimits(journey))
        {
            reason = EntryRules.Limit(journey, _counters.EntriesTotal(journey.Id), _counters.EntriesOn(journey.Id, DateOnly.FromDateTime(at.UtcDateTime)));
        }
        if (reason is not null)
        {
            _output.Trace(new TraceRecord(at, userId, journey.Id, TraceKind.Rejected, Reason: reason));
            return false;
        }
        var entryNo = entries.Count + 1;
        _stores.Entries.Record(scope, userId, at);
        _counters.RecordEntry(journey.Id, at);
        var history = History(userId);
        var sequence = history.Count == 0 ? 0 : history[^1].Sequence;
        var state = JourneyEngine.Start(journey, userId, key, entryNo, at, entryEvent, sequence);
        Advance(journey, state, new Started(at));
        return true;
    }

    /// <summary>Bounds jumps within one instant; the validator already rejects a cycle of jumps with no wait.</summary>
    private const int MaxJumpDepth = 64;

    private int _jumpDepth;

    /// <summary>
    /// The user's history, read once per user and event: one event consults it for every entry
    /// condition, segment and enrollment, and a durable store would read and parse it each time.
    /// Only <see cref="Ingest"/> appends, and it drops the cached copy when it does.
    /// </summary>
    private IReadOnlyList<HistoryEvent> History(string userId)
    {
        if (_historyUser is null || !string.Equals(_historyUser, userId, StringComparison.Ordinal))
        {
            _history = _stores.History.Get(userId);
            _historyUser = userId;
        }
        return _history!;
    }

    private ConditionContext Context(CustomerEvent e, DateTimeOffset at, Profile profile, bool profileStale) =>
        profileStale ? Conditions(e.UserId, e.Properties, at) : new(profile, e.Properties, History(e.UserId), at);

    private ConditionContext Conditions(string userId, Value eventProperties, DateTimeOffset at) =>
        new(_stores.Profiles.Find(userId) ?? Profile.Empty(userId), eventProperties, History(userId), at);

    private void Advance(CompiledJourney journey, EnrollmentState state, EngineInput input)
    {
        var profile = _stores.Profiles.Find(state.UserId) ?? Profile.Empty(state.UserId);
        _effects.Clear();
        var next = _engine.Advance(journey, state, input, new EngineContext(profile, History(state.UserId), _stores.Sends, _counters), _effects);
        _stores.Enrollments.Save(next);
        _output.Advanced(state, next);
        JumpTo? jump = null;
        foreach (var effect in _effects)
        {
            switch (effect)
            {
                case Trace t:
                    _output.Trace(t.Record);
                    break;
                case SendMessage m:
                    if (m.Channel != Channel.Webhook)
                    {
                        _stores.Sends.Record(m.UserId, m.At);
                    }
                    _output.Send(m);
                    break;
                case UpdateProfile u:
                    profile = (_stores.Profiles.Find(u.UserId) ?? Profile.Empty(u.UserId)).Merge(u.Traits);
                    _stores.Profiles.Save(profile);
                    break;
                case JumpTo j:
                    jump = j; // entered once this enrollment's own effects are out (entering reuses the effect list)
                    break;
                case EdgeTaken edge:
                    _output.Edge(edge);
                    break;
                case StepReached reached:
                    _output.Reached(reached);
                    break;
                case ExperimentAssigned a:
                    _counters.Assign(a.JourneyId, a.Step, a.UserId, a.Path, a.At);
                    _output.Counted(a.JourneyId, $"experiment:{a.Step}:{a.Path}");
                    break;
                case WinnerChosen w:
                    _counters.ChooseWinner(w.JourneyId, w.Step, w.Path, w.At);
                    _output.Counted(w.JourneyId, $"winner:{w.Step}:{w.Path}");
                    break;
                case RateSlotTaken slot:
                    _counters.TakeSlot(slot.Channel, slot.NextFree);
                    break;
            }
        }
        // a fired timer is gone from the index and a new enrollment has none yet; otherwise only a
        // changed wake-up needs an entry (the old one turns stale and is skipped when it comes due)
        if (next.NextWake is { } wake && (wake != state.NextWake || input is TimerFired or Started))
        {
            _stores.Timers.Schedule(new DueItem(wake, next.EnrollmentId, null));
        }
        if (jump is not null && Definitions.Journey(jump.JourneyId) is { } target && _jumpDepth < MaxJumpDepth)
        {
            _jumpDepth++;
            try
            {
                TryEnroll(target, jump.UserId, jump.At, jump.EntryEvent);
            }
            finally
            {
                _jumpDepth--;
            }
        }
    }
}
