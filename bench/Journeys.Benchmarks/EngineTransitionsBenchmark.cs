using BenchmarkDotNet.Attributes;
using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Benchmarks;

/// <summary>
/// Engine transitions per second: an enrollment looping through delay -> branch -> update-free
/// delay steps, one <see cref="JourneyEngine.Advance"/> per timer. Target: >= 1,000,000/s on one core.
/// </summary>
[MemoryDiagnoser]
[GcConcurrent(false)]
public class EngineTransitionsBenchmark
{
    private const int Transitions = 10_000;
    private readonly JourneyEngine _engine = new();
    private readonly List<Effect> _effects = new(16);
    private CompiledJourney _journey = null!;
    private EngineContext _context;
    private EnrollmentState _start = null!;

    [GlobalSetup]
    public void Setup()
    {
        var set = Fixtures.Load(("loop.journey.json", """
            {"id":"loop","entry":{"event":"Start"},"start":"a",
             "steps":{
               "a":{"type":"delay","for":"PT1H","next":"check"},
               "check":{"type":"branch","paths":[{"name":"gold","when":{"trait":"loyaltyTier","in":["gold","vip"]},"next":"b"}],"otherwise":"b"},
               "b":{"type":"waitFor","event":"Purchase","timeout":"PT2H","onEvent":"a","onTimeout":"a"}}}
            """));
        _journey = set.Journey("loop")!;
        _context = new EngineContext(Fixtures.Profile("u-1"), Array.Empty<HistoryEvent>());
        _start = JourneyEngine.Start(_journey, "u-1", 1, Fixtures.T0, null, 0);
    }

    [Benchmark(OperationsPerInvoke = Transitions)]
    public EnrollmentState TimerTransitions()
    {
        var state = _engine.Advance(_journey, _start, new Started(Fixtures.T0), _context, _effects);
        for (var i = 0; i < Transitions; i++)
        {
            _effects.Clear();
            state = _engine.Advance(_journey, state, new TimerFired(state.NextWake!.Value), _context, _effects);
        }
        return state;
    }
}
