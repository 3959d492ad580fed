using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Core.Orchestration;

/// <summary>
/// One enrollment as one Durable orchestration (DESIGN §5): loops <see cref="JourneyEngine"/> decisions over
/// durable primitives. The user's partition is the record of truth; a Durable external event only wakes the
/// orchestration, which then pulls (<see cref="ActivityNames.Pull"/>) the user's events after its cursor and
/// any recorded stop, and decides them in sequence order, a timer due by an input's time first. So a wake that
/// Durable loses (at <c>ContinueAsNew</c>, to a waiter of a finished execution), repeats or delivers late
/// changes nothing: every start, every timer and every wake pulls first. One waiter is kept outstanding at a
/// time (Durable hands a raised event to the oldest waiter), raced with a timer for the state's
/// <see cref="EnrollmentState.NextWake"/>; the losing timer is cancelled. The first pull claims the enrollment
/// with the token its input carries (<see cref="OrchestrationInput.Claim"/>, made by the scheduler, the same in a
/// redelivered start): a run of the same instance id with another token (re-scheduled after it finished, or
/// restarted) exits with no effects. The definition comes with an execution's first pull
/// (<see cref="PullRequest.Definition"/>) and a decision's messages are delivered by its
/// <see cref="ActivityNames.Apply"/>: no I/O in this code. An execution whose input was written before that
/// (<see cref="OrchestrationInput.Folded"/> false) calls <see cref="ActivityNames.LoadDefinition"/> and one
/// <see cref="ActivityNames.Send"/> per message, as its history has them. With rate limits (those its first pull
/// returned), a decision that sends on a limited channel takes its slots first (<see cref="ActivityNames.TakeRateSlots"/>)
/// and, when a minute was full, is made again so that the engine defers that send to the slot it got.
/// </summary>
public sealed class EnrollmentOrchestrator(EngineOptions? options = null, Action<EnrollmentDecision>? observe = null)
{
    /// <summary>What a run that does not own its enrollment returns (it did nothing).</summary>
    public const string NotOwned = "NotOwned";

    private readonly EngineOptions _options = options ?? EngineOptions.Default;
    // an execution without rate limits in its history decides without them, whatever counts its engine is given
    private readonly JourneyEngine _engine = new((options ?? EngineOptions.Default) with { RateLimits = new Dictionary<Definitions.Channel, int>() });
    private readonly DefinitionCompiler _definitions = new();

    /// <summary>
    /// Inputs handled before continuing as new. One costs about 15 history events (two activities, the pull
    /// and the apply that also sends, and their episodes, the wake or timer, a new timer, and the cancelled
    /// timer's ignored firing), so 32 keeps a replay under ~420 events (the fake host counts them: 418 at most
    /// over OrchestratorTests' 150 inputs).
    /// </summary>
    public int MaxIterations { get; init; } = 32;

    /// <returns>The enrollment's final status, <see cref="NotOwned"/>, or null when it continued as new.</returns>
    public async Task<string?> RunAsync(IOrchestrationContext context, string inputJson)
    {
        var input = OrchestrationJson.ReadInput(inputJson);
        var state = input.State;
        var claim = input.Claim ?? context.NewGuid().ToString("N"); // only inputs scheduled before the token was carried
        var cursor = input.LastSequence;
        var lastAt = input.LastAt;

        var folded = input.Folded;
        var version = new DefinitionRequest(state.JourneyId, state.Version);
        var pulled = await PullAsync(context, state, cursor, claim, lastAt, folded ? version : null, _options.RateLimits.Count > 0 ? _options.RateLimits : null);
        if (!pulled.Owned)
        {
            return NotOwned; // another run owns this enrollment: touch nothing
        }
        // a pull answered by a worker that predates PullRequest.Definition has none: the result is in history, so replays load it again too
        var source = pulled.Definition ?? OrchestrationJson.ReadDefinition(await context.CallActivityAsync(
            ActivityNames.LoadDefinition, OrchestrationJson.Write(version), ActivityRetry.Storage));
        var journey = _definitions.Compile(source);
        var tallies = TallyRequest.For(journey); // null for a journey without a winner rule: its pulls read no tallies
        // the limits this execution's history holds (none in one from before they were applied here): replays decide as it ran
        var rates = pulled.RateLimits is { Count: > 0 } limits ? new RateLimited(new JourneyEngine(_options with { RateLimits = limits }), limits) : null;
        pulled = pulled with { Definition = null, RateLimits = null };
        var iterations = 0;
        if (!input.Started)
        {
            state = await DecideAsync(context, journey, state, new Started(state.EnteredAt), pulled, cursor, input.Generation, folded, rates);
            iterations++;
            pulled = Consumed(pulled, null);
        }
        var stale = !input.Started; // the pull in hand was read before a decision applied its effects
        var stopped = false;
        var left = false;

        Task<string>? waiter = null;
        Task? timer = null;
        CancellationTokenSource? timerCancel = null;
        DateTimeOffset? timerAt = null;
        DateTimeOffset? firedAt = null;
        while (state.IsActive)
        {
            if (pulled is null)
            {
                pulled = await PullAsync(context, state, cursor, claim, lastAt, experiments: tallies);
                stale = false;
            }
            if (!pulled.Owned)
            {
                break; // claimed by another run since (an operator re-scheduled the id): stop here
            }
            var next = pulled.Pending.FirstOrDefault(p => p.Sequence > cursor);
            // a segment exit comes after the events up to the one that made the user leave, before any later one
            var exit = !left && pulled.Left is { } l && (next is null || next.Sequence > l.AfterSequence) ? l : null;
            var exitAt = exit is null ? (DateTimeOffset?)null : Later(lastAt, exit.At);
            var eventAt = next is null || exit is not null ? (DateTimeOffset?)null : Later(lastAt, next.ProcessedAt);
            var stopAt = !stopped && pulled.StopAt is { } s ? Later(lastAt, s) : (DateTimeOffset?)null;
            var firstAt = Earliest(Earliest(eventAt, exitAt), stopAt);
            if (state.NextWake is { } wake
                && (firstAt is { } first ? wake <= first : (firedAt is { } f && wake <= f) || wake <= context.CurrentUtcDateTime))
            {
                // the timer is due by the next input's time (or fired): as in the single-node runtime, it happens first
                if (stale)
                {
                    pulled = null; // decide on what the last decision wrote
                    continue;
                }
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                firedAt = null;
                lastAt = Later(lastAt, wake);
                state = await DecideAsync(context, journey, state, new TimerFired(lastAt), pulled, cursor, input.Generation, folded, rates);
                iterations++;
                pulled = Consumed(pulled, null);
                stale = true;
                continue;
            }
            if (exit is not null && (stopAt is null || exitAt <= stopAt))
            {
                lastAt = exitAt!.Value;
                state = await DecideAsync(context, journey, state, new SegmentLeft(lastAt, exit.Segment), pulled, cursor, input.Generation, folded, rates);
                iterations++;
                left = true; // once per execution, whatever the engine made of it
                pulled = null;
                continue;
            }
            if (next is not null && eventAt is not null && (stopAt is null || eventAt <= stopAt))
            {
                var e = pulled.History.First(h => h.Sequence == next.Sequence);
                var arrived = new CustomerEvent(EventType.Track, next.MessageId, state.UserId, e.Event, e.Properties, CustomerEvent.EmptyObject, e.Timestamp);
                cursor = next.Sequence;
                if (!EntryRules.Reaches(journey, state, arrived))
                {
                    continue; // another key's event, one about another enrollment's message, or one the journey ignores: no decision
                }
                lastAt = eventAt.Value;
                state = await DecideAsync(context, journey, state, new EventArrived(lastAt, arrived), pulled, cursor, input.Generation, folded, rates);
                iterations++;
                pulled = Consumed(pulled, next);
                stale = true;
                continue;
            }
            if (stopAt is { } stop)
            {
                lastAt = stop;
                state = await DecideAsync(context, journey, state, new StopRequested(stop), pulled, cursor, input.Generation, folded, rates);
                iterations++;
                stopped = true; // once per execution, whatever the engine made of it
                pulled = null;
                continue;
            }

            // nothing pending: wait for a wake or the timer
            if (iterations >= MaxIterations)
            {
                // a wake raised from here on may be dropped (preserveUnprocessedEvents is not relied on): the next execution pulls first
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                context.ContinueAsNew(OrchestrationJson.Write(new OrchestrationInput(state, true, cursor, lastAt, input.Generation + 1, claim, Folded: true)), preserveUnprocessedEvents: false);
                return null;
            }
            if (state.NextWake != timerAt)
            {
                // the wake-up moved: drop the old timer; an unchanged wake-up keeps its timer
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                if (state.NextWake is { } at)
                {
                    timerCancel = new CancellationTokenSource();
                    timer = context.CreateTimer(at.UtcDateTime, timerCancel.Token);
                    timerAt = at;
                }
            }
            waiter ??= context.WaitForExternalEvent(ActivityNames.EventName); // one outstanding waiter, never a second
            Task winner = timer is null ? waiter : await Task.WhenAny(waiter, timer);
            if (timer is null)
            {
                await waiter;
            }
            if (winner == timer)
            {
                firedAt = timerAt;
                timer = null;
                timerAt = null;
                timerCancel!.Dispose();
                timerCancel = null;
            }
            else
            {
                waiter = null; // its payload is only a hint: the pull says what happened
            }
            pulled = null;
        }
        // an orchestration with a pending timer would stay running until it fires
        CancelTimer(ref timer, ref timerCancel, ref timerAt);
        return pulled is { Owned: false } ? NotOwned : state.Status.ToString();
    }

    /// <summary>
    /// What is left of a pull after deciding one input: its context is stale once the decision applied its
    /// effects, so with more inputs pending the loop pulls again; with none it can wait without a read
    /// (a decision that is due right away, a timer, pulls again first).
    /// </summary>
    private static PullResult? Consumed(PullResult pulled, PulledEvent? handled)
    {
        var left = pulled.Pending.Count(p => p != handled) + (pulled.StopAt is null ? 0 : 1) + (pulled.Left is null ? 0 : 1);
        return left == 0 ? pulled with { Pending = [] } : null;
    }

    private async Task<PullResult> PullAsync(IOrchestrationContext context, EnrollmentState state, long cursor, string claim, DateTimeOffset lastAt,
        DefinitionRequest? definition = null, IReadOnlyDictionary<Definitions.Channel, int>? rateLimits = null, TallyRequest? experiments = null)
    {
        var since = _options.FrequencyCap is { } cap ? cap.Within.SubtractFrom(lastAt) : DateTimeOffset.MaxValue;
        return OrchestrationJson.ReadPull(await context.CallActivityAsync(
            ActivityNames.Pull, OrchestrationJson.Write(new PullRequest(state.EnrollmentId, state.UserId, cursor, claim, since, definition, rateLimits, experiments)), ActivityRetry.Storage));
    }

    /// <summary>An execution's rate limits and the engine that applies them.</summary>
    private sealed record RateLimited(JourneyEngine Engine, IReadOnlyDictionary<Definitions.Channel, int> Limits);

    /// <param name="upTo">The decision sees history up to this sequence (later arrivals do not leak into it).</param>
    /// <param name="folded">The messages go with the <see cref="ActivityNames.Apply"/> (else one <see cref="ActivityNames.Send"/> each).</param>
    /// <param name="rates">The execution's rate limits, if it has any.</param>
    private async Task<EnrollmentState> DecideAsync(IOrchestrationContext context, CompiledJourney journey, EnrollmentState state, EngineInput input, PullResult pulled, long upTo, int generation, bool folded, RateLimited? rates)
    {
        var history = pulled.History.Count > 0 && pulled.History[^1].Sequence > upTo
            ? pulled.History.Where(h => h.Sequence <= upTo).ToArray()
            : pulled.History;
        var recent = 0;
        if (_options.FrequencyCap is { } cap)
        {
            var since = cap.Within.SubtractFrom(input.At);
            recent = pulled.SendTimes.Count(t => t > since);
        }
        // the tallies came with the pull (history): a replay decides on the same counts
        var snapshot = new ContextSnapshot(state.UserId, pulled.Traits, history, recent, pulled.Experiments);
        var effects = new List<Effect>();
        var engineContext = snapshot.ToEngineContext();
        if (rates is null)
        {
            var next = _engine.Advance(journey, state, input, engineContext, effects);
            return await ApplyAsync(context, state, next, input, effects, pulled, generation, folded);
        }
        var counts = engineContext.Counts;
        var decided = rates.Engine.Advance(journey, state, input, engineContext with { Counts = new RateGrants(counts) }, effects);
        var slots = effects.OfType<RateSlotTaken>().ToList();
        if (slots.Count > 0)
        {
            // one key per send of this decision: the same in a replay and in a retried activity, another in any other decision
            var takes = slots.Select((slot, i) => new RateSlotTake(
                $"{state.EnrollmentId}~{state.StepsTaken}~{input.At.UtcTicks}~{i}", slot.Channel, slot.Slot, rates.Limits[slot.Channel])).ToList();
            var granted = OrchestrationJson.ReadRateSlots(await context.CallActivityAsync(
                ActivityNames.TakeRateSlots, OrchestrationJson.Write(new RateSlotRequest(takes)), ActivityRetry.Storage));
            var wait = granted.Grants.Select((g, i) => (g.Until, i)).FirstOrDefault(g => g.Until is not null);
            if (wait.Until is { } until)
            {
                // its minute was full: decide again with that send's slot as the channel's next free one, so the engine
                // defers it (trace deferred, state.RateSlot) and the woken send goes on the slot held for it
                effects.Clear();
                decided = rates.Engine.Advance(journey, state, input, engineContext with { Counts = new RateGrants(counts, takes[wait.i].Channel, until) }, effects);
            }
        }
        return await ApplyAsync(context, state, decided, input, effects, pulled, generation, folded);
    }

    /// <summary>The decision's rows and messages (<see cref="ActivityNames.Apply"/>), then its jumps.</summary>
    /// <param name="pulled">What the decision read: its winner-rule splits' assignments are counted.</param>
    private async Task<EnrollmentState> ApplyAsync(IOrchestrationContext context, EnrollmentState state, EnrollmentState next, EngineInput input, List<Effect> effects, PullResult pulled, int generation, bool folded)
    {
        var traces = new List<TraceRecord>();
        var updates = new List<UpdateProfile>();
        var sendTimes = new List<DateTimeOffset>();
        var sends = new List<SendMessage>();
        var jumps = new List<JumpTo>();
        List<ExperimentAssigned>? assigned = null;
        List<WinnerChosen>? winners = null;
        foreach (var effect in effects)
        {
            switch (effect)
            {
                case Trace t:
                    traces.Add(t.Record);
                    break;
                case UpdateProfile u:
                    updates.Add(u);
                    break;
                case SendMessage m:
                    if (m.Channel != Definitions.Channel.Webhook)
                    {
                        sendTimes.Add(m.At); // frequency caps count messages to the person, not webhooks
                    }
                    sends.Add(m);
                    break;
                case JumpTo j:
                    jumps.Add(j);
                    break;
                case ExperimentAssigned a when pulled.Experiments?.ContainsKey(a.Step) == true:
                    (assigned ??= []).Add(a); // a winner rule's tally counts it; other experiments are read from the trace
                    break;
                case WinnerChosen w:
                    (winners ??= []).Add(w);
                    break;
            }
        }
        var applied = await context.CallActivityAsync(
            ActivityNames.Apply, OrchestrationJson.Write(new ApplyRequest(state, next, traces, updates, sendTimes, folded ? sends : null, assigned, winners)),
            folded ? ActivityRetry.ApplyAndSend(sends.Count) : ActivityRetry.Storage);
        if (!folded || applied != ActivityNames.AppliedAndSent)
        {
            // an execution from before the fold, or an apply answered by a worker that ignores Sends (its result is in history)
            foreach (var message in sends)
            {
                await context.CallActivityAsync(ActivityNames.Send, OrchestrationJson.Write(message), ActivityRetry.Delivery);
            }
        }
        foreach (var jump in jumps)
        {
            // the enrollment has exited (its Apply is written): the user enters the other journey, once per decision
            var marker = $"jump~{state.EnrollmentId}~{next.StepsTaken}";
            await context.CallActivityAsync(ActivityNames.Jump, OrchestrationJson.Write(new JumpRequest(jump, marker)), ActivityRetry.Storage);
        }
        if (!context.IsReplaying && observe is not null)
        {
            observe(new EnrollmentDecision(context.InstanceId, input.GetType().Name, next.Step, next.Status, effects.Count, generation));
        }
        return next;
    }

    private static void CancelTimer(ref Task? timer, ref CancellationTokenSource? cancel, ref DateTimeOffset? at)
    {
        if (cancel is not null)
        {
            cancel.Cancel();
            cancel.Dispose();
        }
        timer = null;
        cancel = null;
        at = null;
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a <= b ? a : b;
}
