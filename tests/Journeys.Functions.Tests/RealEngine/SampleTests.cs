namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// A sample on the real Durable engine gives the simulator's trace: its waits scaled from hours to a quarter of a
/// second (and its events' times with them, starting now), each event handed to the ingestion at its scaled time
/// with that time as the processing clock; the simulator replays the same scaled journey and events
/// (<see cref="ScaledSamples"/>; the dev host runs them too: DevHostSampleTests).
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class SampleTests
{
    /// <summary>An hour becomes 0.25 s: ten days take about a minute.</summary>
    private const double Scale = 14400;

    public static TheoryData<string> Samples => ["abandoned-cart", .. ScaledSamples.WithDurationWaits];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task A_sample_scaled_down_runs_to_the_simulators_trace(string sample)
    {
        var sources = ScaledSamples.Sources([sample], Scale);
        var events = ScaledSamples.Events([sample], DateTimeOffset.UtcNow.AddSeconds(3), Scale);
        var expected = ScaledSamples.Simulate(sources, events.Select(e => e.Line));
        Assert.True(expected.Count > 5);

        var clock = new SettableClock();
        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, sources, clock: clock);
        foreach (var (at, line) in events)
        {
            if (at - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait);
            }
            clock.Fixed = at; // processed at its scaled time, as the simulator's clock does
            await host.IngestAsync(line);
        }
        clock.Fixed = null;
        var users = expected.Select(ScaledSamples.User).Distinct().ToList();
        await RealEngineHost.WaitUntilAsync(() => users.Sum(u => host.TraceLines(u).Count) >= expected.Count, TimeSpan.FromSeconds(60), $"{expected.Count} trace records");
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more comes

        Assert.Equal(ScaledSamples.Ordered(expected), ScaledSamples.Ordered(users.SelectMany(host.TraceLines)));
        Assert.Equal(ScaledSamples.Sent(expected), host.Delivery.Delivered.Count);
    }
}
