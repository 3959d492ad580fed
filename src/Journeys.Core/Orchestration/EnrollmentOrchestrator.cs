using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// One enrollment as one Durable orchestration (DESIGN §5): loops <see cref="JourneyEngine"/>
/// decisions over durable primitives. A timer for the enrollment's <see cref="EnrollmentState.NextWake"/>
/// races one outstanding external-event waiter; the waiter is kept across iterations (Durable hands a
/// raised event to the oldest waiter, so a second waiter would strand events), the losing timer is
/// cancelled. Everything that reads or writes storage is an activity; the loop itself only computes,
/// so replaying it from history issues the same commands. After <see cref="MaxIterations"/> inputs, at
/// the first point with no waiter outstanding (right after a customer event), it continues as new with
/// the engine state, keeping history short; events raised meanwhile are buffered and carried over.
/// </summary>
public sealed class EnrollmentOrchestrator(IJourneyCatalog catalog, EngineOptions? options = null, Action<EnrollmentDecision>? observe = null)
{
    private readonly JourneyEngine _engine = new(options);

    /// <summary>
    /// Inputs handled before continuing as new. One costs about 13 history events (two activities and
    /// their episodes, the event or timer, a new timer, and the cancelled timer's ignored firing), so 32
    /// keeps a replay under ~450 events (the fake host counts them: OrchestratorTests).
    /// </summary>
    public int MaxIterations { get; init; } = 32;

    /// <returns>The enrollment's final status, or null when it continued as new.</returns>
    public async Task<string?> RunAsync(IOrchestrationContext context, string inputJson)
    {
        var input = OrchestrationJson.ReadInput(inputJson);
        var state = input.State;
        var journey = catalog.Find(state.JourneyId, state.Version)
            ?? throw new InvalidOperationException($"journey {state.JourneyId} version {state.Version} is not in the catalog");
        var lastSequence = input.LastSequence;
        var lastAt = input.LastAt;
        var iterations = 0;
        if (!input.Started)
        {
            state = await DecideAsync(context, journey, state, new Started(state.EnteredAt), null, input.Generation);
            iterations++;
        }

        Task<string>? signal = null;
        Task? timer = null;
        CancellationTokenSource? timerCancel = null;
        DateTimeOffset? timerAt = null;
        while (state.IsActive)
        {
            if (iterations >= MaxIterations && signal is null)
            {
                // only with no waiter outstanding: Durable still hands events of the same episode to a waiter
                // of the finished execution (they would be lost); events raised from now on are kept for the next
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                context.ContinueAsNew(OrchestrationJson.Write(new OrchestrationInput(state, true, lastSequence, lastAt, input.Generation + 1)), preserveUnprocessedEvents: true);
                return null;
            }
            if (state.NextWake != timerAt)
            {
                // the wake-up moved (or the timer fired): drop the old timer; an unchanged wake-up keeps its timer
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                if (state.NextWake is { } wake)
                {
                    timerCancel = new CancellationTokenSource();
                    timer = context.CreateTimer(wake.UtcDateTime, timerCancel.Token);
                    timerAt = wake;
                }
            }
            signal ??= context.WaitForExternalEvent(ActivityNames.EventName);
            Task winner = signal;
            if (timer is null)
            {
                await signal;
            }
            else
            {
                winner = await Task.WhenAny(signal, timer);
            }
            iterations++;
            if (winner == timer)
            {
                var due = timerAt!.Value;
                timer = null;
                timerAt = null;
                timerCancel!.Dispose();
                timerCancel = null;
                lastAt = Later(lastAt, due);
                state = await DecideAsync(context, journey, state, new TimerFired(lastAt), null, input.Generation);
                continue;
            }

            var received = OrchestrationJson.ReadSignal(signal.Result);
            signal = null;
            if (received.Kind == EnrollmentSignal.EventKind && received.Sequence <= lastSequence)
            {
                continue; // delivered before (the ingestion retried after a fault)
            }
            var at = Later(lastAt, received.At);
            if (timerAt is { } pending && pending <= at)
            {
                // the timer is due by the time of this input: as in the single-node runtime, it happens first
                CancelTimer(ref timer, ref timerCancel, ref timerAt);
                lastAt = Later(lastAt, pending);
                state = await DecideAsync(context, journey, state, new TimerFired(lastAt), null, input.Generation);
                if (!state.IsActive)
                {
                    break;
                }
            }
            lastAt = at;
            if (received.Kind == EnrollmentSignal.StopKind)
            {
                state = await DecideAsync(context, journey, state, new StopRequested(at), null, input.Generation);
            }
            else if (received.Event is { } e)
            {
                lastSequence = received.Sequence;
                state = await DecideAsync(context, journey, state, new EventArrived(at, e), received.Sequence, input.Generation);
            }
        }
        // an orchestration with a pending timer would stay running until it fires
        CancelTimer(ref timer, ref timerCancel, ref timerAt);
        return state.Status.ToString();
    }

    private async Task<EnrollmentState> DecideAsync(IOrchestrationContext context, CompiledJourney journey, EnrollmentState state, EngineInput input, long? upToSequence, int generation)
    {
        var snapshotJson = await context.CallActivityAsync(
            ActivityNames.LoadContext, OrchestrationJson.Write(new ContextRequest(state.UserId, input.At, upToSequence)), ActivityRetry.Storage);
        var snapshot = OrchestrationJson.ReadSnapshot(snapshotJson);
        var effects = new List<Effect>();
        var next = _engine.Advance(journey, state, input, snapshot.ToEngineContext(), effects);

        var traces = new List<TraceRecord>();
        var updates = new List<UpdateProfile>();
        var sendTimes = new List<DateTimeOffset>();
        var sends = new List<SendMessage>();
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
            }
        }
        await context.CallActivityAsync(
            ActivityNames.Apply, OrchestrationJson.Write(new ApplyRequest(state, next, traces, updates, sendTimes)), ActivityRetry.Storage);
        foreach (var message in sends)
        {
            await context.CallActivityAsync(ActivityNames.Send, OrchestrationJson.Write(message), ActivityRetry.Delivery);
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
}
