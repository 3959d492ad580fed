using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace Journeys.Functions.Tests.DevHosting;

/// <summary>
/// Issue 9's sample number through the dev host: every sample whose waits are durations, scaled down
/// (<see cref="ScaledSamples"/>), in one dev host process on Azurite (their users are apart), each event POSTed at
/// its scaled time; the trace is the simulator's for the same scaled journeys and events. The dev host's clock is
/// real, so an event is processed a request's latency after its scaled time: the records must match exactly but
/// their times only to within <see cref="Tolerance"/>.
/// </summary>
[Collection(DevHostCollection.Name)]
public sealed class DevHostSampleTests(ITestOutputHelper output)
{
    /// <summary>An hour becomes 0.1 s: the 35 days of the samples take under a minute and a half.</summary>
    private const double Scale = 36000;

    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(3);

    [Fact(Timeout = 300_000)]
    public async Task The_samples_scaled_down_through_the_dev_host_give_the_simulators_trace()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(280));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sources = ScaledSamples.Sources(ScaledSamples.WithDurationWaits, Scale);
        var run = DevHostRun.Create(sources);
        await using var host = await DevHostProcess.StartAsync(run, timeout.Token);
        var events = ScaledSamples.Events(ScaledSamples.WithDurationWaits, DateTimeOffset.UtcNow.AddSeconds(2), Scale);
        var expected = ScaledSamples.Simulate(sources, events.Select(e => e.Line));
        Assert.True(expected.Count > 40);

        foreach (var (at, line) in events)
        {
            if (at - DateTimeOffset.UtcNow is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, timeout.Token);
            }
            using var response = await host.Http.PostAsync("v1/events", new StringContent(line, Encoding.UTF8, "application/json"), timeout.Token);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(timeout.Token));
        }
        await host.WaitForAsync(async () => (await host.TraceAsync("", timeout.Token)).Count, expected.Count, timeout.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), timeout.Token); // nothing more comes

        var actual = ScaledSamples.Ordered(await host.TraceAsync("", timeout.Token));
        var wanted = ScaledSamples.Ordered(expected);
        var report = $"expected:\n{string.Join('\n', wanted)}\nactual:\n{string.Join('\n', actual)}";
        Assert.True(wanted.Select(ScaledSamples.WithoutAt).SequenceEqual(actual.Select(ScaledSamples.WithoutAt)), report);
        var worst = TimeSpan.Zero;
        for (var i = 0; i < wanted.Length; i++)
        {
            var off = (ScaledSamples.At(actual[i]) - ScaledSamples.At(wanted[i])).Duration();
            Assert.True(off <= Tolerance, $"record {i} is {off.TotalSeconds:0.###} s off\n{report}");
            worst = off > worst ? off : worst;
        }
        output.WriteLine($"{events.Count} events, {wanted.Length} trace records equal to the simulator's; times at most {worst.TotalMilliseconds:0} ms off; {started.Elapsed.TotalSeconds:0} s in all");
        Assert.Equal(ScaledSamples.Sent(expected), run.OutboxLines().Count);
    }
}
