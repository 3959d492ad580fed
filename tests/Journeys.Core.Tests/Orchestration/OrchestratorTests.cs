using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>The orchestrator on the fake Durable host: events, waiters, replay, history bounds.</summary>
public sealed class OrchestratorTests
{
    private const string PingLoop = """
        {"id":"ping","entry":{"event":"Start"},"start":"w",
         "steps":{"w":{"type":"waitFor","event":"Ping","timeout":"P1D","onEvent":"w","onTimeout":"done"},
                  "done":{"type":"exit"}}}
        """;

    private const string TwoWaits = """
        {"id":"two","entry":{"event":"Start"},"start":"a",
         "steps":{"a":{"type":"waitFor","event":"A","timeout":"P1D","onEvent":"b"},
                  "b":{"type":"waitFor","event":"B","timeout":"P1D","onEvent":"hook"},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/hook"}}}}
        """;

    private static int _messageNo;

    private static CustomerEvent Track(string user, string name, string at) =>
        EventParser.Parse(Events.Track($"o-{Interlocked.Increment(ref _messageNo)}", user, name, Times.At(at))).Event!;

    [Fact]
    public void Events_raised_while_the_enrollment_is_busy_wait_for_it_and_none_is_lost()
    {
        var harness = new AzureHarness(Defs.Compile([TwoWaits]));
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);

        // both arrive before the orchestration runs again: B is buffered while A is being handled
        var a = EnrollmentSignal.For(Track("u1", "A", "10:05"), Times.At("10:05"), 2);
        var b = EnrollmentSignal.For(Track("u1", "B", "10:06"), Times.At("10:06"), 3);
        harness.Stores.History.Append("u1", "A", Times.At("10:05"), CustomerEvent.EmptyObject);
        harness.Stores.History.Append("u1", "B", Times.At("10:06"), CustomerEvent.EmptyObject);
        harness.Host.Now = Times.At("10:06");
        harness.Host.Raise(id, ActivityNames.EventName, OrchestrationJson.Write(a));
        harness.Host.Raise(id, ActivityNames.EventName, OrchestrationJson.Write(b));
        harness.Host.RunUntilIdle();

        TraceText.Equal(
            ["10:00 u1 two entered", "10:05 u1 two path a event", "10:06 u1 two path b event", "10:06 u1 two sent hook webhook", "10:06 u1 two completed"],
            harness.Trace);
        var instance = harness.Host.Instances[id];
        Assert.Equal(1, instance.MaxOutstandingWaiters);
        Assert.Equal(0, instance.LostEvents);
    }

    [Fact]
    public void A_repeated_event_is_handled_once()
    {
        var harness = new AzureHarness(Defs.Compile([TwoWaits]));
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);
        var a = OrchestrationJson.Write(EnrollmentSignal.For(Track("u1", "A", "10:05"), Times.At("10:05"), 2));
        harness.Stores.History.Append("u1", "A", Times.At("10:05"), CustomerEvent.EmptyObject);
        harness.Host.Now = Times.At("10:05");

        harness.Host.Raise(id, ActivityNames.EventName, a);
        harness.Host.Raise(id, ActivityNames.EventName, a); // an ingestion retried after a fault

        harness.Host.RunUntilIdle();
        TraceText.Equal(["10:00 u1 two entered", "10:05 u1 two path a event"], harness.Trace);
    }

    [Fact]
    public void Continue_as_new_keeps_the_history_of_a_long_running_enrollment_short()
    {
        var bounded = new AzureHarness(Defs.Compile([PingLoop]), maxIterations: 32);
        var unbounded = new AzureHarness(Defs.Compile([PingLoop]), maxIterations: int.MaxValue);
        foreach (var harness in new[] { bounded, unbounded })
        {
            harness.Ingest(Track("u1", "Start", "10:00"));
            for (var i = 0; i < 150; i++)
            {
                harness.Ingest(Track("u1", "Ping", $"+{i / 24}d {i % 24:00}:30"));
            }
            harness.AdvanceTo(Times.At("+30d 00:00"));
        }

        var id = EnrollmentState.IdFor("ping", "u1", 1);
        TraceText.Equal(unbounded.Trace.Select(TraceText.Line), bounded.Trace);
        Assert.Equal(153, bounded.Trace.Count); // entered, 150 event paths, the timeout path, exited
        Assert.True(bounded.Host.Instances[id].ContinuedAsNew >= 4);
        Assert.True(bounded.Host.Instances[id].MaxHistoryEvents < 500, $"history reached {bounded.Host.Instances[id].MaxHistoryEvents} events");
        Assert.True(unbounded.Host.Instances[id].MaxHistoryEvents > 1500);
        Assert.Equal(0, bounded.Host.Instances[id].LostEvents);
    }

    [Fact]
    public void Each_decision_is_reported_once_whatever_the_replays()
    {
        var harness = new AzureHarness(Defs.Compile([TwoWaits]));
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.Ingest(Track("u1", "A", "10:05"));
        harness.Ingest(Track("u1", "B", "10:06"));

        var instance = harness.Host.Instances[EnrollmentState.IdFor("two", "u1", 1)];
        Assert.True(instance.Replays > 3);
        Assert.Equal(["Started", "EventArrived", "EventArrived"], harness.Decisions.Select(d => d.Input));
        Assert.Equal(3, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.LoadContext));
        Assert.Equal("Completed", instance.Output);
    }

    [Fact]
    public void A_stop_exits_the_enrollment_and_ends_the_orchestration()
    {
        var harness = new AzureHarness(Defs.Compile([TwoWaits]));
        harness.Ingest(Track("u1", "Start", "10:00"));

        harness.Stop("two", Times.At("11:00"));

        TraceText.Equal(["10:00 u1 two entered", "11:00 u1 two exited stopped"], harness.Trace);
        Assert.Equal(FakeDurableHost.InstanceStatus.Completed, harness.Host.Instances["two:u1:1"].Status);
        Assert.Null(harness.Host.NextTimer); // the pending timeout was cancelled (its firing is ignored)
    }

    [Fact]
    public void A_timer_due_before_a_late_event_fires_first()
    {
        var harness = new AzureHarness(Defs.Compile([TwoWaits]));
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);
        // the event is stamped after the timeout but reaches the orchestration before the timer does
        harness.Stores.History.Append("u1", "A", Times.At("+2d 10:00"), CustomerEvent.EmptyObject);
        harness.Host.Raise(id, ActivityNames.EventName, OrchestrationJson.Write(EnrollmentSignal.For(Track("u1", "A", "+2d 10:00"), Times.At("+2d 10:00"), 2)));
        harness.Host.RunUntilIdle();

        TraceText.Equal(["10:00 u1 two entered", "+1d 10:00 u1 two path a timeout", "+1d 10:00 u1 two completed"], harness.Trace);
    }

    [Fact]
    public void A_replay_that_issues_other_commands_is_caught()
    {
        var calls = 0;
        var host = new FakeDurableHost(
            async (context, input) =>
            {
                // reads state outside the history: the second replay schedules another activity
                var name = calls++ == 0 ? "first" : "second";
                await context.CallActivityAsync(name, input, ActivityRetry.Storage);
                await context.CallActivityAsync("third", input, ActivityRetry.Storage);
                return null;
            },
            new() { ["first"] = s => s, ["second"] = s => s, ["third"] = s => s });
        host.Start("x", "{}");

        Assert.Throws<NonDeterministicOrchestrationException>(host.RunUntilIdle);
    }

    [Fact]
    public void An_event_raised_before_anyone_waits_is_kept_until_someone_does()
    {
        var host = new FakeDurableHost(
            async (context, input) =>
            {
                await context.CallActivityAsync("work", input, ActivityRetry.Storage);
                return await context.WaitForExternalEvent("e");
            },
            new() { ["work"] = s => s });
        host.Start("x", "{}");
        host.Raise("x", "e", "payload"); // arrives with the start, before the activity completes

        host.RunUntilIdle();

        Assert.Equal("payload", host.Instances["x"].Output);
    }
}
