using System.Text.Json;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// The send policies of DESIGN §10 on Azure: the app setting <c>Journeys__settings</c> (serve's settings JSON) read
/// into the app's composition, then the app's orchestrator deciding with them on the real Durable engine.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class SendPolicyTests
{
    private const string Welcome = """
        {"id":"welcome","entry":{"event":"Go"},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"Hello"}}}}
        """;

    private static IConfiguration Configuration(string settings) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["JourneysStorage:connectionString"] = "UseDevelopmentStorage=true",
        ["Journeys:settings"] = settings, // what Journeys__settings becomes in IConfiguration
    }).Build();

    [Fact]
    public async Task The_app_setting_holds_the_global_control_group_out_of_every_message()
    {
        const string settings = """{"globalControl": {"percent": 50}, "quietHours": {"start": "21:00", "end": "08:00", "channels": ["sms"]}}""";
        await using var provider = new ServiceCollection().AddLogging().AddJourneysAzure(JourneysSettings.From(Configuration(settings))).BuildServiceProvider();
        var options = provider.GetRequiredService<EngineOptions>(); // what the app's orchestrator is built with
        Assert.Equal(50, options.GlobalControl?.Percent);
        Assert.Equal([Channel.Sms], options.QuietHours?.Channels);

        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, [("welcome.journey.json", Welcome)], options: options);
        var users = Enumerable.Range(0, 12).Select(i => $"u{i}").ToList();
        var held = users.Where(options.GlobalControl!.Holds).ToHashSet();
        Assert.NotEmpty(held); // both groups, or the test shows nothing
        Assert.NotEqual(users.Count, held.Count);
        await host.IngestAsync([.. users.SelectMany(u => new[]
        {
            $$"""{"type":"identify","messageId":"i-{{u}}","userId":"{{u}}","traits":{"email":"{{u}}@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""",
            $$"""{"type":"track","messageId":"g-{{u}}","userId":"{{u}}","event":"Go","timestamp":"2026-12-01T10:00:01Z"}""",
        })]);
        foreach (var user in users)
        {
            await host.WaitForCompletionAsync($"welcome:{user}:1", TimeSpan.FromSeconds(60));
        }

        foreach (var user in users)
        {
            var records = host.TraceLines(user).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var step = records.Single(r => r.GetProperty("kind").GetString() is "sent" or "suppressed");
            Assert.Equal(held.Contains(user) ? "suppressed" : "sent", step.GetProperty("kind").GetString());
            if (held.Contains(user))
            {
                Assert.Equal(TraceReason.GlobalControl, step.GetProperty("reason").GetString());
            }
        }
        Assert.Equal(users.Where(u => !held.Contains(u)).Select(u => $"{u}@example.com").Order(), host.Delivery.Delivered.Select(m => m.To).Order());
    }

    [Fact]
    public void Rate_limits_are_read_and_settings_with_problems_stop_the_app_from_starting()
    {
        var rates = JourneysSettings.From(Configuration("""{"rateLimits": {"email": {"perMinute": 10}}}""")).Policies;
        Assert.Equal(10, rates?.RateLimits[Channel.Email]); // applied by the orchestrator (RateLimitTests)

        var invalid = Assert.Throws<InvalidDataException>(() => JourneysSettings.From(Configuration("""{"globalControl": {"percent": 100}}""")));
        Assert.Equal("Journeys__settings: $.globalControl.percent: 'percent' must be a number above 0 and below 100", invalid.Message);
    }

    [Fact]
    public async Task The_dev_host_takes_the_same_settings_and_refuses_ones_with_problems()
    {
        const string rates = """{"rateLimits": {"email": {"perMinute": 0}}}""";
        var (options, error) = DevHost.DevHostOptions.Parse(["--settings", rates, "--urls", "http://127.0.0.1:0"]);
        Assert.Null(error);
        Assert.Equal(rates, options!.Settings);

        // refused before the sidecar or any table is touched: exit code 1, as for bad definitions
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await DevHost.DevHost.RunAsync(options, timeout.Token));
    }

    [Fact]
    public void A_journey_whose_experiment_chooses_a_winner_is_published_on_Azure()
    {
        const string experiment = """
            {"id":"exp","entry":{"event":"Go"},"goal":{"event":"Bought"},"start":"pick",
             "steps":{"pick":{"type":"split","experiment":{"metric":"goal","window":"P7D","winner":{"after":"P14D","minPerPath":500}},
                              "paths":[{"name":"control","percent":50,"control":true,"next":null},{"name":"hook","percent":50,"next":"hook"}]},
                      "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/h"}}}}
            """;
        var catalog = new Storage.DefinitionCatalog(new Azurite().Tables, TimeProvider.System);

        var (version, problems) = catalog.Publish("exp", experiment);

        Assert.Empty(problems); // ExperimentWinnerTests runs one
        Assert.Equal(1, version);
    }

    [Fact]
    public void No_setting_is_no_policy_and_a_file_path_reads_the_file()
    {
        Assert.Same(EngineOptions.Default, JourneysSettings.From(Configuration("")).Policies);
        var file = Path.Combine(Path.GetTempPath(), $"journeys-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"frequencyCap": {"count": 2, "within": "P1D"}}""");
        try
        {
            Assert.Equal(2, JourneysSettings.From(Configuration(file)).Policies?.FrequencyCap?.Count);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
