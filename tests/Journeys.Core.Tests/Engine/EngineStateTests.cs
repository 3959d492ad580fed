using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Engine;

/// <summary>
/// DESIGN §5: the engine is a pure state machine per enrollment, <c>(definition, state, input) ->
/// (state, effects, wait)</c>, time arriving only with the input; the state is a small serializable
/// record any driver can persist between inputs.
/// </summary>
public sealed class EngineStateTests
{
    private const string Json = """
        {"id":"j","name":"J","entry":{"event":"Go"},"goal":{"event":"Buy","exit":false},"exit":{"maxDuration":"P5D"},"start":"d","steps":{
          "d":{"type":"delay","for":"PT2H","next":"sp"},
          "sp":{"type":"split","paths":[{"name":"A","percent":50,"next":"w"},{"name":"B","percent":50,"next":"w"}]},
          "w":{"type":"waitFor","event":"Click","where":{"property":"ok","eq":true},"timeout":"P1D","onEvent":"m","onTimeout":"d2"},
          "d2":{"type":"delay","until":"09:00","next":"m"},
          "m":{"type":"send","channel":"email","content":{"subject":"Hi {{profile.firstName}}","body":"{{event.properties.sku}}"},"next":"u"},
          "u":{"type":"update","traits":{"stage":"done"}}}}
        """;

    private static readonly DateTimeOffset T0 = Times.At("10:00");

    private static Value Props(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Value.FromJson(doc.RootElement);
    }

    private static readonly CustomerEvent Entry = CustomerEvent.Track("m1", "u1", "Go", T0, Props("""{"sku":"S-1"}"""));

    /// <summary>Feeds inputs one at a time, the next timer taken from the state's own NextWake; <paramref name="persist"/> stands for a driver storing the state.</summary>
    private static (List<string> Trace, List<SendMessage> Sends, List<DateTimeOffset?> Wakes, EnrollmentState Final) Run(
        Func<EnrollmentState, EnrollmentState> persist, IReadOnlyList<CustomerEvent> events)
    {
        var journey = Defs.Compile([Json]).Journey("j")!;
        var engine = new JourneyEngine();
        var profile = Profile.Create("u1", new Dictionary<string, Value> { ["email"] = Value.From("a@example.com"), ["firstName"] = Value.From("Ann") });
        var history = new List<HistoryEvent> { new(1, "Go", T0, Entry.Properties) };
        var effects = new List<Effect>();
        var wakes = new List<DateTimeOffset?>();
        var state = persist(JourneyEngine.Start(journey, "u1", 1, T0, Entry, 1));
        state = persist(engine.Advance(journey, state, new Started(T0), new EngineContext(profile, history), effects));
        wakes.Add(state.NextWake);
        var pending = new Queue<CustomerEvent>(events);
        while (state.IsActive)
        {
            var wake = state.NextWake!.Value;
            if (pending.TryPeek(out var next) && next.Timestamp < wake)
            {
                pending.Dequeue();
                history.Add(new HistoryEvent(history.Count + 1, next.Event!, next.Timestamp, next.Properties));
                state = persist(engine.Advance(journey, state, new EventArrived(next.Timestamp, next), new EngineContext(profile, history), effects));
            }
            else
            {
                state = persist(engine.Advance(journey, state, new TimerFired(wake), new EngineContext(profile, history), effects));
            }
            wakes.Add(state.NextWake);
            foreach (var update in effects.OfType<UpdateProfile>())
            {
                profile = profile.Merge(update.Traits);
            }
        }
        var trace = effects.OfType<Trace>().Select(t => TraceText.Line(t.Record)).ToList();
        return (trace, effects.OfType<SendMessage>().ToList(), wakes, state);
    }

    private static readonly CustomerEvent[] Clicks =
    [
        CustomerEvent.Track("m2", "u1", "Buy", T0.AddMinutes(30)),
        CustomerEvent.Track("m3", "u1", "Click", T0.AddHours(3), Props("""{"ok":false}""")),
        CustomerEvent.Track("m4", "u1", "Click", T0.AddHours(4), Props("""{"ok":true}""")),
    ];

    [Fact]
    public void The_engine_walks_an_enrollment_from_inputs_alone()
    {
        var (trace, sends, wakes, final) = Run(s => s, Clicks);
        var path = trace.Single(l => l.Contains(" path sp ", StringComparison.Ordinal)).Split(' ')[^1];
        Assert.Equal(
            ["10:00 u1 j entered", "10:30 u1 j converted", $"12:00 u1 j path sp {path}", "14:00 u1 j path w event", "14:00 u1 j sent m email", "14:00 u1 j completed"],
            trace);
        var m = Assert.Single(sends);
        Assert.Equal("Hi Ann", m.Content["subject"]);
        Assert.Equal("S-1", m.Content["body"]);
        Assert.Equal("a@example.com", m.To);
        Assert.Equal("j:u1:1", m.EnrollmentId);
        // waits: the delay's end, then the waitFor's timeout (until its event), then none
        Assert.Equal([T0.AddHours(2), T0.AddHours(2), T0.AddHours(2).AddDays(1), T0.AddHours(2).AddDays(1), null], wakes);
        Assert.Equal(EnrollmentStatus.Completed, final.Status);
        Assert.True(final.Converted);
    }

    [Fact]
    public void The_same_inputs_give_the_same_states_and_effects()
    {
        var first = Run(s => s, Clicks);
        var second = Run(s => s, Clicks);
        Assert.Equal(first.Trace, second.Trace);
        Assert.Equal(first.Wakes, second.Wakes);
        Assert.Equal(first.Sends.Select(m => (m.At, m.To, m.IdempotencyKey, m.Content["subject"])), second.Sends.Select(m => (m.At, m.To, m.IdempotencyKey, m.Content["subject"])));
    }

    [Fact]
    public void A_state_persisted_as_json_between_inputs_continues_exactly_as_one_kept_in_memory()
    {
        var inMemory = Run(s => s, Clicks);
        var persisted = Run(s => EnrollmentStateJson.Deserialize(EnrollmentStateJson.Serialize(s)), Clicks);
        Assert.Equal(inMemory.Trace, persisted.Trace);
        Assert.Equal(inMemory.Wakes, persisted.Wakes);
        Assert.Equal(inMemory.Sends.Select(m => (m.At, m.IdempotencyKey, m.Content["body"])), persisted.Sends.Select(m => (m.At, m.IdempotencyKey, m.Content["body"])));

        // and on the timeout side, through a local-time delay
        var timeout = Run(s => EnrollmentStateJson.Deserialize(EnrollmentStateJson.Serialize(s)), []);
        Assert.Equal(timeout.Trace, Run(s => s, []).Trace);
        Assert.Contains("+1d 12:00 u1 j path w timeout", timeout.Trace);
        Assert.Contains("+2d 09:00 u1 j sent m email", timeout.Trace);
    }

    [Fact]
    public void An_ended_enrollment_ignores_further_inputs()
    {
        var journey = Defs.Compile([Json]).Journey("j")!;
        var engine = new JourneyEngine();
        var context = new EngineContext(Profile.Empty("u1"), []);
        var effects = new List<Effect>();
        var state = engine.Advance(journey, JourneyEngine.Start(journey, "u1", 1, T0, Entry, 1), new StopRequested(T0), context, effects);
        Assert.Equal(["10:00 u1 j exited stopped"], effects.OfType<Trace>().Select(t => TraceText.Line(t.Record)));
        Assert.Equal(EnrollmentStatus.Exited, state.Status);
        Assert.Null(state.NextWake);
        effects.Clear();
        var after = engine.Advance(journey, state, new TimerFired(T0.AddHours(2)), context, effects);
        after = engine.Advance(journey, after, new EventArrived(T0.AddHours(3), CustomerEvent.Track("x", "u1", "Buy", T0.AddHours(3))), context, effects);
        Assert.Empty(effects);
        Assert.Equal(state, after);
    }

    [Fact]
    public void A_stale_timer_changes_nothing()
    {
        var journey = Defs.Compile([Json]).Journey("j")!;
        var engine = new JourneyEngine();
        var context = new EngineContext(Profile.Empty("u1"), []);
        var effects = new List<Effect>();
        var state = engine.Advance(journey, JourneyEngine.Start(journey, "u1", 1, T0, Entry, 1), new Started(T0), context, effects);
        effects.Clear();
        var early = engine.Advance(journey, state, new TimerFired(T0.AddHours(1)), context, effects);
        Assert.Empty(effects);
        Assert.Equal(state.NextWake, early.NextWake);
        Assert.Equal(state.Step, early.Step);
    }
}
