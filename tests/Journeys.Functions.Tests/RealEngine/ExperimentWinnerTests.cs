using System.Text.Json;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Stats;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// An experiment split with a <c>winner</c> rule (DESIGN §10) on the real Durable engine, each on the test host's
/// in-memory backend and on Durable's Azure Storage backend (Azurite): the orchestrations count assignments in the
/// counters table, the ingestion counts conversions, and once the rule holds later entrants all take the winner —
/// the simulator's trace for the same events. The phases are awaited one after another (every enrollment of one
/// done before the next events), so each decision reads the counts the simulator reads.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class ExperimentWinnerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private const string Experiment = """
        {"id":"exp","entry":{"event":"Go"},"start":"pick",
         "steps":{"pick":{"type":"split","experiment":{"metric":"Bought","window":"P1D","winner":{"after":"PT1H","minPerPath":5}},
                          "paths":[{"name":"control","percent":50,"control":true,"next":null},{"name":"b","percent":50,"next":"hook"}]},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/b"}}}}
        """;

    private static string Track(string messageId, string user, string name, DateTimeOffset at) =>
        $$"""{"type":"track","messageId":"{{messageId}}","userId":"{{user}}","event":"{{name}}","properties":{},"timestamp":"{{at:yyyy-MM-ddTHH:mm:ssZ}}"}""";

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task Conversions_on_one_path_choose_it_and_later_entrants_all_take_it(Backend backend)
    {
        (string, string)[] sources = [("exp.journey.json", Experiment)];
        var first = Enumerable.Range(0, 30).Select(i => $"u{i:00}").ToList();
        var later = Enumerable.Range(0, 10).Select(i => $"n{i:00}").ToList();
        var entering = first.Select(u => Track($"go-{u}", u, "Go", T0)).ToArray();
        // who took b, as the simulator splits (the same hash on Azure): only they buy
        var onB = ScaledSamples.Simulate(sources, entering).Where(l => Kind(l) == "path" && Path(l) == "b").Select(ScaledSamples.User).ToList();
        Assert.InRange(onB.Count, 5, first.Count - 5); // both paths reach minPerPath, or the test shows nothing
        var buying = onB.Select(u => Track($"buy-{u}", u, "Bought", T0.AddMinutes(10))).ToArray();
        var enteringLater = later.Select(u => Track($"go-{u}", u, "Go", T0.AddHours(2))).ToArray();
        var expected = ScaledSamples.Simulate(sources, [.. entering, .. buying, .. enteringLater]);

        var clock = new SettableClock();
        await using var host = await RealEngineHost.StartAsync(backend, sources, clock: clock);
        clock.Fixed = T0;
        await host.IngestAsync(entering);
        await CompletedAsync(host, first);
        clock.Fixed = T0.AddMinutes(10);
        await host.IngestAsync(buying);
        clock.Fixed = T0.AddHours(2);
        await host.IngestAsync(enteringLater);
        await CompletedAsync(host, later);

        var lines = first.Concat(later).SelectMany(host.TraceLines).ToList();
        Assert.Equal(ScaledSamples.Ordered(expected), ScaledSamples.Ordered(lines));
        var laterPaths = later.SelectMany(host.TraceLines).Where(l => Kind(l) == "path").ToList();
        Assert.Equal(later.Count, laterPaths.Count);
        Assert.All(laterPaths, l => Assert.Equal(("b", true), (Path(l), Winner(l))));

        var tally = host.Experiments.Tally("exp", "pick");
        Assert.Equal("b", tally.Winner);
        Assert.Equal(T0, tally.StartedAt);
        Assert.Equal(new(onB.Count + later.Count, onB.Count), tally.Path("b"));
        Assert.Equal(new(first.Count - onB.Count, 0), tally.Path("control"));
        Assert.Equal(onB.Count + later.Count, host.Delivery.Delivered.Count);

        // the readout the API serves on Azure, from the trace alone, names the winner
        var split = (SplitStep)DefinitionReader.ReadJourney("exp.journey.json", Experiment).Definition!.Steps["pick"];
        var counters = new TraceCounters(new HashSet<string>(["pick"], StringComparer.Ordinal));
        lines.ForEach(counters.Add);
        Assert.Equal("b", ExperimentReadoutBuilder.Build(split, ExperimentReadoutBuilder.Tally(split, counters.Counts)).Winner);
    }

    private const string NoSends = """
        {"id":"exp","entry":{"event":"Go"},"start":"pick",
         "steps":{"pick":{"type":"split","experiment":{"metric":"Bought","window":"PT1H","winner":{"after":"P14D","minPerPath":500}},
                          "paths":[{"name":"control","percent":50,"control":true,"next":null},{"name":"b","percent":50,"next":null}]}}}
        """;

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_retried_apply_counts_its_assignment_once_and_a_conversion_counts_once_per_assignment(Backend backend)
    {
        var users = Enumerable.Range(0, 6).Select(i => $"r{i}").ToList();
        var clock = new SettableClock { Fixed = T0 };
        await using var host = await RealEngineHost.StartAsync(backend, [("exp.journey.json", NoSends)], clock: clock);
        host.FailAppliesAfterTheirWork(users.Count); // every enrollment's apply runs twice

        await host.IngestAsync([.. users.Select(u => Track($"go-{u}", u, "Go", T0))]);
        await CompletedAsync(host, users);
        var entered = host.Experiments.Tally("exp", "pick");
        Assert.Equal(users.Count, entered.Paths.Values.Sum(p => p.Entered));
        Assert.Equal(0, entered.Paths.Values.Sum(p => p.Converted));

        // each user buys twice within the window (the second a redelivery's twin: another message), once after it
        clock.Fixed = T0.AddMinutes(5);
        await host.IngestAsync([.. users.Select(u => Track($"buy1-{u}", u, "Bought", T0.AddMinutes(5)))]);
        clock.Fixed = T0.AddMinutes(6);
        await host.IngestAsync([.. users.Select(u => Track($"buy2-{u}", u, "Bought", T0.AddMinutes(6))), .. users.Select(u => Track($"buy1-{u}", u, "Bought", T0.AddMinutes(5)))]);
        const string late = "late";
        await host.IngestAsync(Track($"go-{late}", late, "Go", T0.AddMinutes(6)));
        await CompletedAsync(host, [late]);
        clock.Fixed = T0.AddHours(2);
        await host.IngestAsync(Track($"buy-{late}", late, "Bought", T0.AddHours(2))); // after its window

        var tally = host.Experiments.Tally("exp", "pick");
        var latePath = host.Experiments.Assignment("exp", "pick", late)!.Value.Path;
        Assert.Equal(users.Count + 1, tally.Paths.Values.Sum(p => p.Entered));
        foreach (var (path, counts) in tally.Paths)
        {
            Assert.Equal(counts.Entered - (path == latePath ? 1 : 0), counts.Converted); // once per assignment, none for late
        }
        Assert.All(users, u => Assert.True(host.Experiments.Assignment("exp", "pick", u)!.Value.Converted));
        Assert.False(host.Experiments.Assignment("exp", "pick", late)!.Value.Converted);
        Assert.Null(tally.Winner);
    }

    private static async Task CompletedAsync(RealEngineHost host, IEnumerable<string> users)
    {
        foreach (var user in users)
        {
            var enrollment = Assert.Single(host.Enrollments(user));
            await host.WaitForCompletionAsync(enrollment.EnrollmentId, Limit);
        }
    }

    private static string? Kind(string line) => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString();

    private static string? Path(string line) => JsonDocument.Parse(line).RootElement.TryGetProperty("path", out var p) ? p.GetString() : null;

    private static bool Winner(string line) => JsonDocument.Parse(line).RootElement.TryGetProperty("winner", out var w) && w.GetBoolean();
}
