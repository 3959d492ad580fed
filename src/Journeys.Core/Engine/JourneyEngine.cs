using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Engine;

/// <summary>
/// The enrollment state machine (DESIGN §5): <c>(journey, state, input) -> (state, effects)</c>, the
/// next wait being part of the state (<see cref="EnrollmentState.NextWake"/>). No clock, randomness
/// or I/O: the same inputs always give the same outputs, which is what lets the simulator, the local
/// server and a replaying Durable orchestration share it.
/// </summary>
public sealed class JourneyEngine(EngineOptions? options = null)
{
    /// <summary>Guard against a runaway walk; the validator already rejects instant loops.</summary>
    private const int MaxStepsPerInput = 1_000;

    private readonly EngineOptions _options = options ?? EngineOptions.Default;

    /// <summary>A new enrollment's state, before its <see cref="Started"/> input.</summary>
    public static EnrollmentState Start(CompiledJourney journey, string userId, int entryNo, DateTimeOffset at, CustomerEvent? entryEvent, long entrySequence)
        => Start(journey, userId, key: null, entryNo, at, entryEvent, entrySequence);

    /// <param name="key">The entry key's value for a keyed journey (<see cref="EntryKeys.Of"/>), else null.</param>
    public static EnrollmentState Start(CompiledJourney journey, string userId, string? key, int entryNo, DateTimeOffset at, CustomerEvent? entryEvent, long entrySequence) => new()
    {
        EnrollmentId = EnrollmentState.IdFor(journey.Id, userId, key, entryNo),
        Key = key,
        JourneyId = journey.Id,
        Version = journey.Version,
        UserId = userId,
        EntryNo = entryNo,
        EnteredAt = at,
        EntrySequence = entrySequence,
        EntryEvent = entryEvent,
        Deadline = journey.Definition.Exit?.MaxDuration?.AddTo(at),
    };

    public EnrollmentState Advance(CompiledJourney journey, EnrollmentState state, EngineInput input, in EngineContext context, List<Effect> effects)
    {
        if (!state.IsActive)
        {
            return state;
        }
        var run = new Run(this, journey, context, effects);
        var next = input switch
        {
            Started s => run.Walk(state, journey.Definition.Start, s.At, entered: true),
            TimerFired t => run.OnTimer(state, t.At),
            EventArrived e => run.OnEvent(state, e.Event, e.At),
            StopRequested s => run.Exit(state, s.At, TraceReason.Stopped),
            SegmentLeft l when Contains(journey.ExitSegments, l.Segment) => run.Exit(state, l.At, TraceReason.Segment),
            _ => state,
        };
        return run.LastSent is { } sent ? next with { LastSentStep = sent } : next;
    }

    private static bool Contains(IReadOnlyList<string> segments, string segment)
    {
        for (var i = 0; i < segments.Count; i++)
        {
            if (string.Equals(segments[i], segment, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>One input's worth of work; a struct so advancing allocates only what it emits.</summary>
    private struct Run(JourneyEngine engine, CompiledJourney journey, EngineContext context, List<Effect> effects)
    {
        private Profile _profile = context.Profile;
        private int _sentNow;
        // rate slots taken during this input, which the driver has not recorded yet
        private List<RateSlotTaken>? _slots;

        /// <summary>The last send step that delivered during this input, if any.</summary>
        public string? LastSent { get; private set; }

        private readonly JourneyDefinition Definition => journey.Definition;

        public EnrollmentState OnTimer(EnrollmentState state, DateTimeOffset at)
        {
            if (state.Deadline is { } deadline && at >= deadline)
            {
                return Exit(state, at, TraceReason.MaxDuration);
            }
            if (state.WaitUntil is not { } until || at < until || state.Step is null)
            {
                return state; // a stale timer: the enrollment has moved on
            }
            var step = Definition.Steps[state.Step];
            switch (step)
            {
                case DelayStep d:
                    return Walk(state, d.Next, at, from: d.Id);
                case WaitForStep w:
                    Emit(at, state, TraceKind.Path, step: w.Id, path: "timeout");
                    return Walk(state, w.OnTimeout, at, from: w.Id);
                case SendStep:
                    return Walk(state, step.Id, at, deferred: true);
                default:
                    return Walk(state, step.Id, at);
            }
        }

        public EnrollmentState OnEvent(EnrollmentState state, CustomerEvent e, DateTimeOffset at)
        {
            if (e.Type != EventType.Track)
            {
                return state;
            }
            if (!EntryKeys.Reaches(journey, state, e.Properties))
            {
                return state; // another cart's (order's...) event, or about another enrollment's message
            }
            if (state.Deadline is { } deadline && at >= deadline)
            {
                return Exit(state, at, TraceReason.MaxDuration);
            }
            var conditions = Conditions(state, e.Properties, at);
            if (Definition.Goal is { } goal && !state.Converted && goal.Event == e.Event && journey.GoalWhere.Evaluate(conditions))
            {
                state = state with { Converted = true };
                Emit(at, state, TraceKind.Converted);
                if (goal.Exit)
                {
                    return Exit(state, at, TraceReason.Goal);
                }
            }
            if (Definition.Exit is { } exit)
            {
                for (var i = 0; i < exit.Events.Count; i++)
                {
                    if (exit.Events[i].Event == e.Event && journey.ExitWhere[i].Evaluate(conditions))
                    {
                        return Exit(state, at, TraceReason.Event);
                    }
                }
            }
            if (state.Step is { } current && Definition.Steps[current] is WaitForStep wait)
            {
                if (wait.Events.Count == 0)
                {
                    if (wait.Event == e.Event && journey.WaitWhere(wait.Id).Evaluate(conditions))
                    {
                        Emit(at, state, TraceKind.Path, step: wait.Id, path: "event");
                        return Walk(state, wait.OnEvent, at, from: wait.Id);
                    }
                    return state;
                }
                // one event matching several entries takes the first listed
                for (var i = 0; i < wait.Events.Count; i++)
                {
                    var awaited = wait.Events[i];
                    if (awaited.Event == e.Event && journey.WaitEventWhere(wait.Id, i).Evaluate(conditions))
                    {
                        Emit(at, state, TraceKind.Path, step: wait.Id, path: awaited.Name);
                        return Walk(state, awaited.Next, at, from: wait.Id);
                    }
                }
            }
            return state;
        }

        /// <summary>
        /// Runs steps from <paramref name="stepId"/> until one waits or the enrollment ends. The counters
        /// live in locals and the state is copied once, on the way out: a transition allocates little.
        /// </summary>
        /// <param name="deferred">The first step is a send that already waited (quiet hours, optimal time, a rate slot).</param>
        /// <param name="from">The step the enrollment leaves for <paramref name="stepId"/> (an edge to count), if any.</param>
        public EnrollmentState Walk(EnrollmentState state, string? stepId, DateTimeOffset at, bool entered = false, bool deferred = false, string? from = null)
        {
            if (entered)
            {
                Emit(at, state, TraceKind.Entered);
            }
            var steps = state.StepsTaken;
            var splitPaths = state.SplitPaths;
            for (var guard = 0; guard < MaxStepsPerInput; guard++)
            {
                if (stepId is null)
                {
                    if (from is not null && journey.Edge(from, JourneyGraph.EndNode) is { } end)
                    {
                        effects.Add(end);
                    }
                    Emit(at, state, TraceKind.Completed);
                    return state with
                    {
                        Status = EnrollmentStatus.Completed, Step = null, WaitStartedAt = null, WaitUntil = null, SendDeferred = false,
                        EndedAt = at, StepsTaken = steps, SplitPaths = splitPaths,
                    };
                }
                var step = Definition.Steps[stepId];
                if (from is not null && journey.Edge(from, stepId) is { } edge)
                {
                    effects.Add(edge);
                }
                if (from is not null || entered)
                {
                    effects.Add(journey.Reached(stepId)); // an arrival; a waiting step woken again is not one
                }
                from = stepId;
                steps++;
                switch (step)
                {
                    case SendStep send:
                        if (Send(state, send, at, deferred, steps, out var rateSlot) is { } wakeAt)
                        {
                            // the visit is counted again when the send goes out, so the idempotency key stays the same
                            return Waiting(state, send.Id, at, wakeAt, steps - 1, splitPaths) with { SendDeferred = true, RateSlot = rateSlot ? wakeAt : null };
                        }
                        deferred = false;
                        stepId = send.Next;
                        break;
                    case DelayStep { IsRelativeToDate: true } dated:
                        if (DateDelayEnd(state, dated) is not { } due)
                        {
                            Emit(at, state, TraceKind.Path, step: dated.Id, path: "missing");
                        }
                        else if (due <= at)
                        {
                            Emit(at, state, TraceKind.Path, step: dated.Id, path: "past");
                        }
                        else
                        {
                            return Waiting(state, dated.Id, at, due, steps, splitPaths);
                        }
                        stepId = dated.Next;
                        break;
                    case DelayStep delay:
                        var until = DelayEnd(delay, at);
                        if (until > at)
                        {
                            return Waiting(state, delay.Id, at, until, steps, splitPaths);
                        }
                        stepId = delay.Next;
                        break;
                    case WaitForStep wait:
                        return Waiting(state, wait.Id, at, wait.Timeout.AddTo(at), steps, splitPaths);
                    case BranchStep branch:
                        stepId = Branch(state, branch, at);
                        break;
                    case SplitStep split:
                        var (index, winner) = Split(state, split, at);
                        var chosen = split.Paths[index];
                        Emit(at, state, TraceKind.Path, step: split.Id, path: chosen.Name, winner: winner);
                        if (split.Experiment is not null)
                        {
                            effects.Add(new ExperimentAssigned(at, journey.Id, split.Id, state.UserId, chosen.Name));
                        }
                        splitPaths = [.. splitPaths, $"{split.Id}={chosen.Name}"];
                        stepId = chosen.Next;
                        break;
                    case UpdateStep update:
                        _profile = _profile.Merge(update.Traits);
                        effects.Add(new UpdateProfile(state.UserId, update.Traits));
                        stepId = update.Next;
                        break;
                    case JumpStep jump:
                        var left = Exit(state with { StepsTaken = steps, SplitPaths = splitPaths, SendDeferred = false }, at, TraceReason.Jump);
                        effects.Add(new JumpTo(at, state.UserId, journey.Id, jump.Journey, state.EntryEvent));
                        return left;
                    default:
                        return Exit(state with { StepsTaken = steps, SplitPaths = splitPaths, SendDeferred = false }, at, TraceReason.Step);
                }
            }
            throw new InvalidOperationException($"journey '{journey.Id}' ran {MaxStepsPerInput} steps in one instant");
        }

        public readonly EnrollmentState Exit(EnrollmentState state, DateTimeOffset at, string reason)
        {
            Emit(at, state, TraceKind.Exited, reason: reason);
            return state with { Status = EnrollmentStatus.Exited, ExitReason = reason, WaitStartedAt = null, WaitUntil = null, EndedAt = at };
        }

        /// <summary>
        /// The user's path: by the stable hash, unless the split is an experiment whose winner is chosen (recorded,
        /// or chosen now from the recorded counts: then the choice goes out as an effect for the driver to keep).
        /// </summary>
        private readonly (int Index, bool Winner) Split(EnrollmentState state, SplitStep split, DateTimeOffset at)
        {
            var hashed = SplitHash.Choose(split.Paths, SplitHash.Bucket(journey.Id, split.Id, state.UserId));
            if (split.Experiment?.Winner is null || context.Counts is not { } counts)
            {
                return (hashed, false);
            }
            var tally = counts.Experiment(journey.Id, split.Id);
            if (tally.Winner is { } recorded)
            {
                for (var i = 0; i < split.Paths.Count; i++)
                {
                    if (split.Paths[i].Name == recorded) return (i, true);
                }
                return (hashed, false); // a winner of an earlier version that no longer has that path
            }
            if (ExperimentComparison.Winner(split, tally, at) is { } best)
            {
                effects.Add(new WinnerChosen(at, journey.Id, split.Id, split.Paths[best].Name));
                return (best, true);
            }
            return (hashed, false);
        }

        private readonly string? Branch(EnrollmentState state, BranchStep branch, DateTimeOffset at)
        {
            var conditions = Conditions(state, state.EntryEvent?.Properties ?? CustomerEvent.EmptyObject, at);
            for (var i = 0; i < branch.Paths.Count; i++)
            {
                if (journey.BranchWhen(branch.Id, i).Evaluate(conditions))
                {
                    Emit(at, state, TraceKind.Path, step: branch.Id, path: branch.Paths[i].Name);
                    return branch.Paths[i].Next;
                }
            }
            Emit(at, state, TraceKind.Path, step: branch.Id, path: "otherwise");
            return branch.Otherwise;
        }

        /// <summary>Sends, suppresses, or returns when to try again (quiet hours, optimal time, a rate slot).</summary>
        /// <param name="rateSlot">Set when the returned instant is a reserved rate-limit slot.</param>
        private DateTimeOffset? Send(EnrollmentState state, SendStep send, DateTimeOffset at, bool deferred, int visit, out bool rateSlot)
        {
            rateSlot = false;
            var plan = SendPlanner.Plan(send, _profile);
            var channelName = SendPlanner.Name(plan.Channel);
            var person = plan.Channel != Channel.Webhook;
            // the hold-out comes first: whether a member could have been reached must not change who is held out
            if (person && engine._options.GlobalControl is { } holdout && holdout.Holds(state.UserId))
            {
                Emit(at, state, TraceKind.Suppressed, step: send.Id, channel: channelName, reason: TraceReason.GlobalControl);
                return null;
            }
            if (!plan.CanSend)
            {
                Emit(at, state, TraceKind.Suppressed, step: send.Id, channel: channelName, reason: plan.SuppressedReason);
                return null;
            }
            // a woken send checks its window and quiet hours again (the timezone may have changed), not its optimal hour
            if (person || send.Window is not null)
            {
                var later = Later(send, plan.Channel, at, optimal: !deferred && person);
                if (later > at)
                {
                    Emit(at, state, TraceKind.Deferred, step: send.Id, channel: channelName, until: later);
                    return later;
                }
            }
            if (person && engine._options.FrequencyCap is { } cap)
            {
                var since = cap.Within.SubtractFrom(at);
                var count = (context.Sends?.CountSince(state.UserId, since) ?? 0) + _sentNow;
                if (count >= cap.Count)
                {
                    Emit(at, state, TraceKind.Suppressed, step: send.Id, channel: channelName, reason: TraceReason.FrequencyCap);
                    return null;
                }
            }
            // a woken send that reserved its slot goes; any other takes the channel's next free slot, in arrival order
            var reserved = deferred && state.RateSlot is { } slotAt && at >= slotAt;
            if (!reserved && context.Counts is { } counts && engine._options.RateLimits.TryGetValue(plan.Channel, out var perMinute))
            {
                var free = NextFree(counts, plan.Channel);
                var slot = free is { } f && f > at ? f : at;
                var taken = new RateSlotTaken(plan.Channel, slot, slot + TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute));
                effects.Add(taken);
                (_slots ??= []).Add(taken);
                if (slot > at)
                {
                    Emit(at, state, TraceKind.Deferred, step: send.Id, channel: channelName, until: slot);
                    rateSlot = true;
                    return slot;
                }
            }
            // rendered when the driver reads the content: the trace never does, so a replay without an outbox never renders
            var message = new RenderedMessage(journey.Template(send.Id, plan.Channel), new TemplateModel(_profile, state.EntryEvent, journey.Id, Definition.Name));
            var to = plan.Channel == Channel.Webhook ? message.Fields["url"] : plan.To!;
            Emit(at, state, TraceKind.Sent, step: send.Id, channel: channelName);
            effects.Add(new SendMessage(at, state.EnrollmentId, state.UserId, journey.Id, send.Id, plan.Channel, to, message.Fields, message.Headers,
                $"{state.EnrollmentId}:{send.Id}:{visit}") { Track = send.Track && plan.Channel == Channel.Email });
            if (person)
            {
                _sentNow++;
            }
            LastSent = send.Id;
            return null;
        }

        private readonly DateTimeOffset? NextFree(ISharedCounts counts, Channel channel)
        {
            if (_slots is not null)
            {
                for (var i = _slots.Count - 1; i >= 0; i--)
                {
                    if (_slots[i].Channel == channel) return _slots[i].NextFree;
                }
            }
            return counts.NextFreeSlot(channel);
        }

        /// <summary>
        /// The earliest instant a send may go: at the optimal hour, then out of quiet hours (people only)
        /// and inside its window, moving on until both hold (a quiet end may fall outside the window).
        /// </summary>
        private readonly DateTimeOffset Later(SendStep send, Channel channel, DateTimeOffset at, bool optimal)
        {
            var zone = _profile.TimeZone;
            var when = at;
            if (optimal && send.OptimalTime && OptimalSendTime.BestHour(context.History, zone) is { } hour)
            {
                var local = LocalTime.ToLocal(at, zone);
                if (local.Hour != hour)
                {
                    when = LocalTime.Next(at, zone, new TimeOnly(hour, 0), 0);
                }
            }
            var quiet = channel != Channel.Webhook && engine._options.QuietHours is { } q && q.Applies(channel) ? q : null;
            for (var guard = 0; guard < 16; guard++)
            {
                var moved = false;
                if (quiet is not null && quiet.Contains(TimeOnly.FromDateTime(LocalTime.ToLocal(when, zone))))
                {
                    when = LocalTime.Next(when, zone, quiet.End, 0);
                    moved = true;
                }
                if (send.Window is { } window && SendWindows.NextOpening(window, when, zone) is var open && open > when)
                {
                    when = open;
                    moved = true;
                }
                if (!moved)
                {
                    break;
                }
            }
            return when;
        }

        /// <summary>The trait's or entry property's date plus the offset; null when missing or not a date.</summary>
        private readonly DateTimeOffset? DateDelayEnd(EnrollmentState state, DelayStep delay)
        {
            var path = journey.DatePath(delay.Id);
            var value = delay.UntilTrait is not null
                ? _profile.TraitsValue.Get(path)
                : (state.EntryEvent?.Properties ?? CustomerEvent.EmptyObject).Get(path);
            return DateValues.TryRead(value, _profile.TimeZone, out var instant) ? delay.Offset.AddTo(instant) : null;
        }

        private readonly DateTimeOffset DelayEnd(DelayStep delay, DateTimeOffset at)
        {
            if (delay.For is { } d) return d.AddTo(at);
            if (delay.Until is { } t) return LocalTime.Next(at, _profile.TimeZone, t, delay.Days);
            return delay.UntilDate ?? at;
        }

        private static EnrollmentState Waiting(EnrollmentState state, string stepId, DateTimeOffset at, DateTimeOffset until, int steps, IReadOnlyList<string> splitPaths) =>
            state with { Step = stepId, WaitStartedAt = at, WaitUntil = until, SendDeferred = false, RateSlot = null, StepsTaken = steps, SplitPaths = splitPaths };

        private readonly ConditionContext Conditions(EnrollmentState state, Value eventProperties, DateTimeOffset at) =>
            new(_profile, eventProperties, context.History, at, state.EntrySequence);

        private readonly void Emit(DateTimeOffset at, EnrollmentState state, string kind, string? step = null, string? channel = null, string? path = null, string? reason = null, DateTimeOffset? until = null, bool winner = false) =>
            effects.Add(new Trace(new TraceRecord(at, state.UserId, state.JourneyId, kind, step, channel, path, reason, until) { Winner = winner }));
    }
}
