using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Review;

/// <summary>Edge cases found in review against DESIGN §3-§6, each pinned by a test.</summary>
public sealed class EdgeCaseTests
{
    private static IReadOnlyList<DefinitionProblem> Problems(string journey, params string[] segments) =>
        DefinitionLoader.Load([("j.journey.json", journey), .. segments.Select((s, i) => ($"s{i}.segment.json", s))]).Problems;

    [Fact]
    public void Trace_json_keeps_plus_signs_and_non_ascii_as_they_are()
    {
        var record = new TraceRecord(Times.Day0, "beth+1@example.com", "größe", TraceKind.Path, Step: "ab", Path: "Größe \"B\"");

        Assert.Equal("""{"at":"2026-12-01T00:00:00Z","user":"beth+1@example.com","journey":"größe","kind":"path","step":"ab","path":"Größe \"B\""}""", record.ToJson());
        var written = new StringWriter();
        using (var writer = new Journeys.Core.Runtime.TraceLineWriter(written))
        {
            writer.Write(record);
        }
        Assert.Equal(record.ToJson() + "\n", written.ToString());
    }

    [Fact]
    public void A_template_that_does_not_parse_is_a_validation_problem_at_its_field()
    {
        var problems = Problems("""
            {"id":"j","entry":{"event":"Go"},"start":"s",
             "steps":{"s":{"type":"send","channel":"email","content":{"subject":"{{#if x}}","body":"ok"}}}}
            """);

        var problem = Assert.Single(problems);
        Assert.Equal("$.steps.s.content.subject", problem.Path);
        Assert.StartsWith("template does not parse", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_body_may_be_inline_json_and_renders_as_a_template()
    {
        var scenario = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"hook",
             "steps":{"hook":{"type":"send","channel":"webhook",
                              "content":{"url":"https://crm.example/{{profile.userId}}","body":{"user":"{{profile.userId}}","sku":"{{event.properties.sku}}"}}}}}
            """);

        scenario.Track("u-1", "Go", "10:00", new { sku = "TOP-7" });

        var message = scenario.SingleSend("hook");
        Assert.Equal("https://crm.example/u-1", message.To);
        Assert.Equal("""{"user":"u-1","sku":"TOP-7"}""", message.Content["body"]);
    }

    [Fact]
    public void Identify_merges_nested_objects_so_one_consent_does_not_erase_another()
    {
        var profile = Profile.Empty("u")
            .Merge(Value.From(new Dictionary<string, Value> { ["consent"] = Obj(("sms", Value.True)) }))
            .Merge(Value.From(new Dictionary<string, Value> { ["consent"] = Obj(("email", Value.False)) }));

        Assert.True(profile.Consent("sms"));
        Assert.False(profile.Consent("email"));

        var removed = profile.Merge(Value.From(new Dictionary<string, Value> { ["consent"] = Obj(("sms", Value.Null)) }));
        Assert.Null(removed.Consent("sms"));
        Assert.False(removed.Consent("email"));
    }

    private static Value Obj(params (string Name, Value Value)[] fields) => Value.From(fields.ToDictionary(f => f.Name, f => f.Value));

    [Fact]
    public void Definition_files_are_strict_json()
    {
        var problem = Assert.Single(Problems("""
            {"id":"j","entry":{"event":"Go"},"start":"s", // a comment
             "steps":{"s":{"type":"exit"}}}
            """));

        Assert.StartsWith("invalid JSON at line 1", problem.Message, StringComparison.Ordinal);
        Assert.Single(Problems("""{"id":"j","entry":{"event":"Go"},"start":"s","steps":{"s":{"type":"exit"}},}"""));
    }

    [Fact]
    public void Lock_with_mode_once_is_reported_at_the_lock()
    {
        var problem = Assert.Single(Problems("""
            {"id":"j","entry":{"event":"Go"},"reentry":{"mode":"once","lock":"P1D"},"start":"s","steps":{"s":{"type":"exit"}}}
            """));

        Assert.Equal("$.reentry.lock", problem.Path);
    }

    [Fact]
    public void An_unknown_next_is_one_problem_not_also_a_cascade_of_unreachable_steps()
    {
        var problems = Problems("""
            {"id":"j","entry":{"event":"Go"},"start":"a",
             "steps":{"a":{"type":"delay","for":"PT1H","next":"bb"},"b":{"type":"delay","for":"PT1H","next":"c"},"c":{"type":"exit"}}}
            """);

        var problem = Assert.Single(problems);
        Assert.Equal("$.steps.a.next", problem.Path);
        Assert.Equal("unknown step 'bb'", problem.Message);
    }

    [Fact]
    public void Unreachable_steps_are_still_reported_when_every_reference_is_known()
    {
        var problem = Assert.Single(Problems("""
            {"id":"j","entry":{"event":"Go"},"start":"a","steps":{"a":{"type":"exit"},"b":{"type":"exit"}}}
            """));

        Assert.Equal("$.steps.b", problem.Path);
    }

    [Fact]
    public void A_scheduled_run_outside_the_window_rejects_each_candidate_with_window()
    {
        var scenario = Scenario.Create("""
            {"id":"weekly","entry":{"schedule":{"at":"2026-12-01T09:00:00Z","every":"P7D"}},
             "window":{"from":"2026-12-05T00:00:00Z"},
             "reentry":{"mode":"multiple"},
             "start":"s","steps":{"s":{"type":"exit"}}}
            """);

        scenario.Identify("u-1", "08:00", new { email = "a@example.com" });
        scenario.AdvanceTo("+7d 10:00");

        scenario.AssertTrace(
            "09:00 u-1 weekly rejected window",
            "+7d 09:00 u-1 weekly entered",
            "+7d 09:00 u-1 weekly exited step");
    }

    [Fact]
    public void A_schedule_stops_once_its_window_has_closed()
    {
        var scenario = Scenario.Create("""
            {"id":"weekly","entry":{"schedule":{"at":"2026-12-01T09:00:00Z","every":"P7D"}},
             "window":{"until":"2026-12-10T00:00:00Z"},
             "reentry":{"mode":"multiple"},
             "start":"s","steps":{"s":{"type":"exit"}}}
            """);

        scenario.Identify("u-1", "08:00", new { email = "a@example.com" });
        scenario.AdvanceTo("+30d 10:00");

        scenario.AssertTrace(
            "09:00 u-1 weekly entered",
            "09:00 u-1 weekly exited step",
            "+7d 09:00 u-1 weekly entered",
            "+7d 09:00 u-1 weekly exited step");
        Assert.Null(scenario.Stores.Timers.NextDue);
    }

    [Theory]
    [InlineData("""{"property":"coupon","notIn":["X"]}""", false)]
    [InlineData("""{"property":"coupon","notContains":"X"}""", false)]
    [InlineData("""{"property":"coupon","ne":"X"}""", true)]
    [InlineData("""{"property":"coupon","exists":false}""", true)]
    [InlineData("""{"property":"coupon","eq":null}""", true)]
    [InlineData("""{"property":"coupon","ne":null}""", false)]
    [InlineData("""{"property":"other","eq":null}""", true)]
    [InlineData("""{"property":"code","eq":null}""", false)]
    [InlineData("""{"property":"code","ne":null}""", true)]
    public void A_property_set_to_null_is_treated_as_missing(string condition, bool expected)
    {
        var loaded = DefinitionLoader.Load([("s.segment.json", $$"""{"id":"s","when":{{condition}}}""")]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        var compiled = DefinitionSet.From(loaded).Segment("s");
        var properties = Value.From(new Dictionary<string, Value> { ["coupon"] = Value.Null, ["code"] = Value.From("A") });

        Assert.Equal(expected, compiled.Evaluate(new ConditionContext(Profile.Empty("u"), properties, [], Times.Day0)));
    }
}
