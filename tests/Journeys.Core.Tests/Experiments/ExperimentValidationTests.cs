using Journeys.Core.Definitions;
using Journeys.Core.Tests.Definitions;

namespace Journeys.Core.Tests.Experiments;

/// <summary>Every mistake in experiments, limits and the new settings (DESIGN §10), named with its JSON path.</summary>
public sealed class ExperimentValidationTests
{
    private const string Goal = """ "goal":{"event":"Purchase"}, """;

    private static LoadResult Split(string split, string extra = Goal) =>
        DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":""" + split + ""","b":{"type":"exit"}}""", extra: extra));

    private const string Paths = """ "paths":[{"name":"control","percent":50,"control":true},{"name":"b","percent":50,"next":"b"}] """;

    [Theory]
    [InlineData("""{"type":"split","experiment":{},""" + Paths + "}", "$.steps.a.experiment.window")]
    [InlineData("""{"type":"split","experiment":{"window":"a week"},""" + Paths + "}", "$.steps.a.experiment.window")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D","metric":""},""" + Paths + "}", "$.steps.a.experiment.metric")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D","goal":"x"},""" + Paths + "}", "$.steps.a.experiment.goal")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D","winner":{"after":"P14D"}},""" + Paths + "}", "$.steps.a.experiment.winner.minPerPath")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D","winner":{"minPerPath":0,"after":"P1D"}},""" + Paths + "}", "$.steps.a.experiment.winner.minPerPath")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D","winner":{"minPerPath":10}},""" + Paths + "}", "$.steps.a.experiment.winner.after")]
    [InlineData("""{"type":"split","experiment":"yes",""" + Paths + "}", "$.steps.a.experiment")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D"},"paths":[{"name":"x","percent":50},{"name":"b","percent":50,"next":"b"}]}""", "$.steps.a.paths")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D"},"paths":[{"name":"x","percent":50,"control":true},{"name":"b","percent":50,"control":true,"next":"b"}]}""", "$.steps.a.paths")]
    [InlineData("""{"type":"split","paths":[{"name":"x","percent":50,"control":true},{"name":"b","percent":50,"next":"b"}]}""", "$.steps.a.paths[0].control")]
    [InlineData("""{"type":"split","experiment":{"window":"P7D"},"paths":[{"name":"x","percent":50,"control":"yes"},{"name":"b","percent":50,"next":"b"}]}""", "$.steps.a.paths[0].control")]
    public void An_experiment_mistake_is_named_at_its_path(string split, string path)
    {
        DefinitionKit.AssertProblem(Split(split), path);
    }

    [Fact]
    public void A_goal_metric_needs_a_goal()
    {
        var result = Split("""{"type":"split","experiment":{"window":"P7D"},""" + Paths + "}", extra: "");
        Assert.Contains("no 'goal'", DefinitionKit.AssertProblem(result, "$.steps.a.experiment.metric").Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"split","experiment":{"window":"P7D"},""" + Paths + "}")]
    [InlineData("""{"type":"split","experiment":{"metric":"Signup","window":"PT12H","winner":{"after":"P14D","minPerPath":500}},""" + Paths + "}")]
    public void Experiments_as_designed_are_valid(string split)
    {
        DefinitionKit.AssertValid(Split(split));
        var loaded = Split(split);
        var step = Assert.IsType<SplitStep>(loaded.Journeys.Single().Steps["a"]);
        Assert.NotNull(step.Experiment);
        Assert.True(step.Paths[0].Control);
        Assert.False(step.Paths[1].Control);
    }

    [Theory]
    [InlineData("""{}""", "$.limits")]
    [InlineData("""{"entriesPerDay":0}""", "$.limits.entriesPerDay")]
    [InlineData("""{"entriesTotal":"many"}""", "$.limits.entriesTotal")]
    [InlineData("""{"entriesPerDay":5,"perHour":1}""", "$.limits.perHour")]
    [InlineData("""[5]""", "$.limits")]
    public void A_limits_mistake_is_named_at_its_path(string limits, string path)
    {
        DefinitionKit.AssertProblem(DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":{"type":"exit"}}""", extra: $""" "limits":{limits}, """)), path);
    }

    [Theory]
    [InlineData("""{"globalControl":{}}""", "$.globalControl.percent")]
    [InlineData("""{"globalControl":{"percent":100}}""", "$.globalControl.percent")]
    [InlineData("""{"globalControl":{"percent":0}}""", "$.globalControl.percent")]
    [InlineData("""{"globalControl":{"percent":5,"seed":1}}""", "$.globalControl.seed")]
    [InlineData("""{"rateLimits":{"fax":{"perMinute":5}}}""", "$.rateLimits.fax")]
    [InlineData("""{"rateLimits":{"email":{}}}""", "$.rateLimits.email.perMinute")]
    [InlineData("""{"rateLimits":{"email":{"perMinute":0.5}}}""", "$.rateLimits.email.perMinute")]
    [InlineData("""{"rateLimits":{"email":{"perSecond":5}}}""", "$.rateLimits.email.perSecond")]
    [InlineData("""{"rateLimits":{"email":5}}""", "$.rateLimits.email")]
    public void A_settings_mistake_is_named_at_its_path(string json, string path)
    {
        var (_, problems) = EngineSettingsReader.Read("settings.json", json);
        Assert.Contains(problems, p => p.Path == path);
    }

    [Fact]
    public void Settings_read_global_control_and_rate_limits()
    {
        var (options, problems) = EngineSettingsReader.Read("settings.json", """{"globalControl":{"percent":5},"rateLimits":{"email":{"perMinute":600},"webhook":{"perMinute":60}}}""");
        Assert.Empty(problems);
        Assert.Equal(5, options.GlobalControl!.Percent);
        Assert.Equal(600, options.RateLimits[Channel.Email]);
        Assert.Equal(60, options.RateLimits[Channel.Webhook]);
        Assert.False(options.RateLimits.ContainsKey(Channel.Sms));
    }
}
