using System.Text;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Tests.Definitions;

/// <summary>Inputs built to hurt: each gets a precise problem or rejection, never a crash.</summary>
public sealed class HostileInputTests
{
    private static string Chain(int steps, bool loopBack)
    {
        var json = new StringBuilder("""{"id":"big","entry":{"event":"Go"},"start":"s0","steps":{""");
        for (var i = 0; i < steps; i++)
        {
            var next = i + 1 < steps ? $"\"s{i + 1}\"" : loopBack ? "\"s0\"" : "null";
            json.Append(i == 0 ? "" : ",").Append($$$"""
                "s{{{i}}}":{"type":"update","traits":{"n":{{{i}}}},"next":{{{next}}}}
                """);
        }
        return json.Append("}}").ToString();
    }

    [Fact]
    public void A_journey_with_too_many_steps_is_refused_with_a_problem()
    {
        var loaded = DefinitionLoader.Load([("big.journey.json", Chain(DefinitionReader.MaxSteps + 1, loopBack: false))]);

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal("$.steps", problem.Path);
        Assert.Contains($"at most {DefinitionReader.MaxSteps} steps", problem.Message, StringComparison.Ordinal);
        Assert.Empty(loaded.Journeys);
    }

    [Fact]
    public void The_longest_allowed_instant_loop_is_reported_not_overflowed()
    {
        var loaded = DefinitionLoader.Load([("big.journey.json", Chain(DefinitionReader.MaxSteps, loopBack: true))]);

        var problem = Assert.Single(loaded.Problems);
        Assert.StartsWith("instant loop s0 -> s1 -> ", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_condition_nested_past_the_depth_limit_is_a_json_problem()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"not":""", 200)) + """{"trait":"a","exists":true}""" + new string('}', 200);
        var loaded = DefinitionLoader.Load([("deep.segment.json", $$"""{"id":"deep","when":{{deep}}}""")]);

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal("$", problem.Path);
        Assert.StartsWith("invalid JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_nested_past_the_depth_limit_is_rejected_with_its_message_id()
    {
        var deep = string.Concat(Enumerable.Repeat("""{"a":""", 100)) + "1" + new string('}', 100);
        var result = EventParser.Parse($$"""{"messageId":"m-1","type":"track","userId":"u","event":"E","timestamp":"2026-12-01T10:00:00Z","properties":{{deep}}}""");

        Assert.Null(result.Event);
        Assert.Equal("m-1", result.MessageId);
        Assert.StartsWith("invalid JSON", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("/etc/localtime")]
    [InlineData("Not/AZone")]
    public void A_made_up_timezone_is_utc(string zone)
    {
        var profile = Profile.Empty("u").Merge(Value.From(new Dictionary<string, Value> { ["timezone"] = Value.From(zone) }));

        Assert.Same(TimeZoneInfo.Utc, profile.TimeZone);
    }
}
