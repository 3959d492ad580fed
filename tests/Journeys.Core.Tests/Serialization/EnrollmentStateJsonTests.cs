using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Tests.Serialization;

public sealed class EnrollmentStateJsonTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static CompiledJourney Journey()
    {
        var loaded = DefinitionLoader.Load([("j.journey.json", """
            {"id":"j","entry":{"event":"Go"},"exit":{"maxDuration":"P10D"},"start":"wait",
             "steps":{"wait":{"type":"waitFor","event":"Buy","timeout":"P1D","onTimeout":"hi"},
                      "hi":{"type":"send","channel":"email","content":{"subject":"Hi {{event.properties.sku}}","body":"b"}}}}
            """)]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        return DefinitionSet.From(loaded).Journey("j")!;
    }

    [Fact]
    public void A_waiting_state_survives_a_round_trip_and_then_behaves_the_same()
    {
        var journey = Journey();
        var entry = CustomerEvent.Track("m-1", "u-1", "Go", T0,
            Value.From(new Dictionary<string, Value> { ["sku"] = Value.From("TOP-7"), ["tags"] = Value.From([Value.From(1), Value.Null]) }));
        var engine = new JourneyEngine();
        var context = new EngineContext(Profile.Empty("u-1").Merge(Value.From(new Dictionary<string, Value> { ["email"] = Value.From("a@example.com") })), []);
        var waiting = engine.Advance(journey, JourneyEngine.Start(journey, "u-1", 1, T0, entry, 1), new Started(T0), context, []);

        var json = EnrollmentStateJson.Serialize(waiting);
        var restored = EnrollmentStateJson.Deserialize(json);

        Assert.Equal(json, EnrollmentStateJson.Serialize(restored));
        Assert.Equal(waiting.NextWake, restored.NextWake);
        Assert.Equal("wait", restored.Step);
        Assert.Equal("TOP-7", restored.EntryEvent!.Properties["sku"].AsString);
        Assert.Contains("\"status\":\"Active\"", json, StringComparison.Ordinal);

        var fromOriginal = new List<Effect>();
        var fromRestored = new List<Effect>();
        engine.Advance(journey, waiting, new TimerFired(T0.AddDays(1)), context, fromOriginal);
        engine.Advance(journey, restored, new TimerFired(T0.AddDays(1)), context, fromRestored);
        Assert.Equal(fromOriginal.OfType<Trace>().Select(t => t.Record), fromRestored.OfType<Trace>().Select(t => t.Record));
        var sent = Assert.Single(fromRestored.OfType<SendMessage>());
        Assert.Equal("Hi TOP-7", sent.Content["subject"]);
    }
}
