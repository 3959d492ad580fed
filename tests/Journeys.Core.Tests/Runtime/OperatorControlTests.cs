using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Runtime;

/// <summary>What a server's operator does to a running runtime: publish a new version, pause, resume, stop, and bounded timer batches.</summary>
public sealed class OperatorControlTests
{
    private static string Journey(string firstStep) => """
        {"id":"j","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"wait","steps":{
          "wait":{"type":"delay","for":"PT1H","next":"s"},
          "s":{"type":"send","channel":"webhook","content":{"url":"https://h.example/FIRST"}}}}
        """.Replace("FIRST", firstStep, StringComparison.Ordinal);

    private static DefinitionSet Versions(int current, params (string Step, int Version)[] versions)
    {
        var loaded = versions.Select(v => new JourneyVersion(Defs.LoadValid([Journey(v.Step)]).Journeys.Single(), v.Version)).ToList();
        return new DefinitionSet([], loaded.Where(v => v.Version == current), loaded.Where(v => v.Version != current));
    }

    [Fact]
    public void A_publish_moves_entries_to_the_new_version_and_leaves_running_enrollments_on_theirs()
    {
        var s = new Scenario(Versions(1, ("a", 1)));
        s.Track("u1", "Go", "10:00");
        s.Runtime.Use(Versions(2, ("a", 1), ("b", 2)));
        s.Track("u2", "Go", "10:30");
        s.AdvanceTo("12:00");

        Assert.Equal(["https://h.example/a", "https://h.example/b"], s.Sends.Select(m => m.To));
        Assert.Equal(["u1", "u2"], s.Sends.Select(m => m.UserId));
        Assert.Equal(1, s.Stores.Enrollments.Get("j:u1:1")!.Version);
        Assert.Equal(2, s.Stores.Enrollments.Get("j:u2:1")!.Version);
    }

    [Fact]
    public void An_enrollment_on_a_version_no_longer_served_is_left_alone_rather_than_run_on_another()
    {
        var s = new Scenario(Versions(1, ("a", 1)));
        s.Track("u1", "Go", "10:00");
        s.Runtime.Use(Versions(2, ("b", 2))); // version 1 dropped from the set
        s.AdvanceTo("12:00");
        Assert.Empty(s.Sends);
        Assert.True(s.Stores.Enrollments.Get("j:u1:1")!.IsActive);
    }

    [Fact]
    public void A_paused_journey_takes_no_entries_and_rejects_no_one_while_its_enrollments_go_on()
    {
        var s = new Scenario(Versions(1, ("a", 1)));
        s.Track("u1", "Go", "10:00");
        s.Runtime.Pause("j");
        s.Track("u2", "Go", "10:10");
        s.AdvanceTo("12:00");
        Assert.True(s.Runtime.IsPaused("j"));
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j sent s webhook", "11:00 u1 j completed");

        s.Runtime.Resume("j");
        s.Track("u2", "Go", "12:10");
        Assert.Contains("12:10 u2 j entered", s.Lines);
    }

    [Fact]
    public void A_paused_scheduled_journey_keeps_its_schedule_but_enrolls_no_one()
    {
        var journey = """
            {"id":"weekly","entry":{"schedule":{"at":"2026-12-01T09:00:00Z","every":"P1D"}},"reentry":{"mode":"multiple"},"start":"s",
             "steps":{"s":{"type":"send","channel":"webhook","content":{"url":"https://h.example/w"}}}}
            """;
        var s = Scenario.Create(journey);
        s.Identify("u1", "2026-12-01T08:00:00Z", new { plan = "pro" });
        s.Runtime.Pause("weekly");
        s.AdvanceTo("2026-12-01T10:00:00Z");
        Assert.Empty(s.Sends);
        s.Runtime.Resume("weekly");
        s.AdvanceTo("2026-12-02T10:00:00Z");
        Assert.Single(s.Sends);
    }

    [Fact]
    public void Stop_exits_enrollments_on_every_version()
    {
        var s = new Scenario(Versions(1, ("a", 1)));
        s.Track("u1", "Go", "10:00");
        s.Runtime.Use(Versions(2, ("a", 1), ("b", 2)));
        s.Track("u2", "Go", "10:10");
        s.Stop("j", "10:20");
        Assert.Equal(2, s.Trace.Count(r => r.Kind == TraceKind.Exited && r.Reason == TraceReason.Stopped));
    }

    [Fact]
    public void Bounded_advance_fires_at_most_the_given_number_and_says_whether_more_are_due()
    {
        var s = new Scenario(Versions(1, ("a", 1)));
        for (var i = 0; i < 5; i++)
        {
            s.Track($"u{i}", "Go", "10:00");
        }
        var at = Times.At("12:00");
        Assert.False(s.Runtime.AdvanceTo(at, 2));
        Assert.Equal(2, s.Sends.Count);
        Assert.True(s.Runtime.Now < at);
        Assert.False(s.Runtime.AdvanceTo(at, 2));
        Assert.True(s.Runtime.AdvanceTo(at, 2));
        Assert.Equal(5, s.Sends.Count);
        Assert.Equal(at, s.Runtime.Now);
        Assert.True(s.Runtime.AdvanceTo(at, 2));
    }

    [Fact]
    public void The_output_hears_of_every_saved_transition()
    {
        var seen = new List<(string? Before, string? After)>();
        var s = new Scenario(Versions(1, ("a", 1)));
        var runtime = new JourneyRuntime(s.Definitions, s.Stores, new Recorder(seen));
        runtime.Ingest(Journeys.Core.Audience.EventParser.Parse(Events.Track("m1", "u1", "Go", Times.At("10:00"), null)).Event!, Times.At("10:00"));
        runtime.AdvanceTo(Times.At("12:00"));
        Assert.Equal([(null, "wait"), ("wait", null)], seen);
    }

    private sealed class Recorder(List<(string?, string?)> seen) : IRuntimeOutput
    {
        public void Trace(TraceRecord record)
        {
        }

        public void Send(SendMessage message)
        {
        }

        public void Advanced(EnrollmentState before, EnrollmentState after) => seen.Add((before.Step, after.Step));
    }
}
