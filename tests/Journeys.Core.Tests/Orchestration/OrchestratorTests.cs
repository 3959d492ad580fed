using Journeys.Core.Audience;
using Journeys.Core.Definitions;
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

    private const string Hooks = """
        {"id":"hooks","entry":{"event":"Start"},"start":"first",
         "steps":{"first":{"type":"send","channel":"webhook","content":{"url":"https://example.test/first"},"next":"w"},
                  "w":{"type":"waitFor","event":"A","timeout":"P1D","onEvent":"second"},
                  "second":{"type":"send","channel":"webhook","content":{"url":"https://example.test/second"}}}}
        """;

    private static int _messageNo;

    private static CustomerEvent Track(string user, string name, string at) =>
        EventParser.Parse(Events.Track($"o-{Interlocked.Increment(ref _messageNo)}", user, name, Times.At(at))).Event!;

    [Fact]
    public void Events_recorded_while_the_enrollment_is_busy_are_pulled_in_order_and_none_is_lost()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);

        // both are in the partition before the orchestration runs again; two wakes, in any order, say only "look"
        harness.Stores.History.Append("u1", "A", Times.At("10:05"), CustomerEvent.EmptyObject);
        harness.Stores.History.Append("u1", "B", Times.At("10:06"), CustomerEvent.EmptyObject);
        harness.Host.Now = Times.At("10:06");
        harness.Host.Raise(id, ActivityNames.EventName, "wake");
        harness.Host.Raise(id, ActivityNames.EventName, "wake");
        harness.Host.RunUntilIdle();

        TraceText.Equal(
            ["10:00 u1 two entered", "10:05 u1 two path a event", "10:06 u1 two path b event", "10:06 u1 two sent hook webhook", "10:06 u1 two completed"],
            harness.Trace);
        Assert.Equal(1, harness.Host.Instances[id].MaxOutstandingWaiters);
    }

    [Fact]
    public void A_repeated_wake_is_harmless()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);
        harness.Stores.History.Append("u1", "A", Times.At("10:05"), CustomerEvent.EmptyObject);
        harness.Host.Now = Times.At("10:05");

        harness.Host.Raise(id, ActivityNames.EventName, "wake");
        harness.Host.Raise(id, ActivityNames.EventName, "wake"); // an ingestion retried after a fault

        harness.Host.RunUntilIdle();
        TraceText.Equal(["10:00 u1 two entered", "10:05 u1 two path a event"], harness.Trace);
    }

    [Fact]
    public void A_wake_that_never_arrives_is_made_up_for_by_the_timer_which_pulls_first()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.DeliverWake = _ => false; // every wake is lost from here on

        harness.Ingest(Track("u1", "A", "10:05"));
        harness.AdvanceTo(Times.At("+3d 00:00"));

        // the timeout's timer woke it: it pulled A (processed before the timeout) and took it first, in order
        TraceText.Equal(
            ["10:00 u1 two entered", "10:05 u1 two path a event", "+1d 10:05 u1 two path b timeout", "+1d 10:05 u1 two completed"],
            harness.Trace);
    }

    [Fact]
    public void The_redelivered_event_wakes_an_enrollment_whose_wake_was_lost_and_starts_nothing_twice()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        var start = Track("u1", "Start", "10:00");
        harness.Ingest(start);
        harness.DeliverWake = _ => false;
        var a = Track("u1", "A", "10:05");
        harness.Ingest(a); // a crash after the partition write: no wake
        harness.DeliverWake = _ => true;

        Assert.Equal(IngestOutcome.Duplicate, harness.Ingest(a)); // Event Hubs hands the batch in again
        Assert.Equal(IngestOutcome.Duplicate, harness.Ingest(start));

        TraceText.Equal(["10:00 u1 two entered", "10:05 u1 two path a event"], harness.Trace);
        Assert.Single(harness.Host.Instances);
        Assert.Equal(1, harness.Starts);
    }

    [Fact]
    public void A_finished_enrollment_whose_instance_id_is_scheduled_again_does_nothing()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.AdvanceTo(Times.At("+2d 00:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);
        Assert.Equal(FakeDurableHost.InstanceStatus.Completed, harness.Host.Instances[id].Status);
        var before = harness.Trace.Count;
        var state = harness.Stores.Enrollments.Get(id)!;

        // Durable starts a finished id over: the new run's claim token is not the enrollment's
        Assert.True(harness.Host.Start(id, OrchestrationJson.Write(OrchestrationInput.Start(state with { Status = EnrollmentStatus.Active }, Guid.NewGuid().ToString("N")))));
        harness.Host.RunUntilIdle();

        Assert.Equal(before, harness.Trace.Count);
        Assert.Equal(EnrollmentOrchestrator.NotOwned, harness.Host.Instances[id].Output);
        Assert.Equal([ActivityNames.Pull], harness.Host.ActivityCalls.TakeLast(1).Select(c => c.Name));
    }

    private const string Mail = """
        {"id":"mail","entry":{"event":"Start"},"start":"m",
         "steps":{"m":{"type":"send","channel":"email","content":{"subject":"Hi","body":"Hello"}}}}
        """;

    private static readonly EngineOptions TwoMailsAMinute = new() { RateLimits = new Dictionary<Channel, int> { [Channel.Email] = 2 } };

    private static void EnterAtOnce(AzureHarness harness, int users)
    {
        for (var i = 0; i < users; i++)
        {
            harness.Ingest(EventParser.Parse(Events.Identify($"i-{i}", $"u{i}", Times.At("10:00"), new { email = $"u{i}@example.com" })).Event!);
            harness.Ingest(Track($"u{i}", "Start", "10:00"));
        }
        harness.AdvanceTo(Times.At("11:00"));
    }

    [Fact]
    public void Rate_limited_sends_wait_for_a_minute_with_room_and_every_replay_decides_the_same()
    {
        var harness = AzureHarness.FromJson([Mail], options: TwoMailsAMinute);
        EnterAtOnce(harness, 5);

        // two a minute; the rest deferred to their place in the next minute with room (60 s / 2 apart), then sent there
        var ten = Times.At("10:00");
        Assert.Equal([ten, ten, ten.AddSeconds(60), ten.AddSeconds(90), ten.AddSeconds(120)], harness.Sends.Select(m => m.At).Order());
        Assert.Equal(3, harness.Trace.Count(t => t.Kind == TraceKind.Deferred));
        Assert.Equal(5, harness.Sends.Select(m => m.UserId).Distinct().Count());
        Assert.Equal([2L, 2L, 1L], Enumerable.Range(0, 3).Select(m => harness.RateSlots.Taken(Channel.Email, Times.At("10:00").AddMinutes(m))));
        Assert.Equal(5, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.TakeRateSlots)); // a woken send goes on its slot: no second take
    }

    [Fact]
    public void An_execution_whose_first_pull_returned_no_rate_limits_decides_without_them()
    {
        // the pull answered by a worker from before rate limits on Azure, as the history of an execution of then holds it
        var harness = AzureHarness.FromJson([Mail], options: TwoMailsAMinute);
        harness.EarlierWorker = true;
        EnterAtOnce(harness, 3);

        Assert.Equal(3, harness.Sends.Count(m => m.At == Times.At("10:00")));
        Assert.DoesNotContain(harness.Host.ActivityCalls, c => c.Name == ActivityNames.TakeRateSlots);
    }

    [Fact]
    public void An_execution_gets_its_definition_with_its_first_pull_and_sends_within_its_apply()
    {
        var harness = AzureHarness.FromJson([Hooks]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.Ingest(Track("u1", "A", "10:05"));

        TraceText.Equal(
            ["10:00 u1 hooks entered", "10:00 u1 hooks sent first webhook", "10:05 u1 hooks path w event", "10:05 u1 hooks sent second webhook", "10:05 u1 hooks completed"],
            harness.Trace);
        Assert.Equal([ActivityNames.Pull, ActivityNames.Apply, ActivityNames.Pull, ActivityNames.Apply], harness.Host.ActivityCalls.Select(c => c.Name));
        Assert.NotNull(OrchestrationJson.ReadPull(harness.Host.ActivityCalls[0].Output).Definition);
        Assert.Null(OrchestrationJson.ReadPullRequest(harness.Host.ActivityCalls[2].Input).Definition); // the same execution has it
        Assert.Equal(["first", "second"], harness.Sends.Select(m => m.Step));
    }

    [Fact]
    public void An_execution_started_before_the_fold_keeps_its_activities_until_it_continues_as_new()
    {
        // the input of an app from before the fold: the history it replays has LoadDefinition and Send calls
        var harness = AzureHarness.FromJson([Hooks], maxIterations: 1);
        harness.UnfoldedStarts = true;
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.Ingest(Track("u1", "A", "10:05"));

        TraceText.Equal(
            ["10:00 u1 hooks entered", "10:00 u1 hooks sent first webhook", "10:05 u1 hooks path w event", "10:05 u1 hooks sent second webhook", "10:05 u1 hooks completed"],
            harness.Trace);
        Assert.Equal(
            [ActivityNames.Pull, ActivityNames.LoadDefinition, ActivityNames.Apply, ActivityNames.Send, // the first execution, as before
             ActivityNames.Pull, ActivityNames.Pull, ActivityNames.Apply], // continued as new: folded
            harness.Host.ActivityCalls.Select(c => c.Name));
        Assert.Equal(1, harness.Host.Instances[EnrollmentState.IdFor("hooks", "u1", 1)].ContinuedAsNew);
        Assert.Equal(["first", "second"], harness.Sends.Select(m => m.Step));
    }

    [Fact]
    public void A_folded_execution_whose_activities_ran_on_a_worker_from_before_the_fold_loads_and_sends_as_before()
    {
        var harness = AzureHarness.FromJson([Hooks]);
        harness.EarlierWorker = true; // no definition with the pull, Apply answers "ok" and sends nothing
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.Ingest(Track("u1", "A", "10:05"));

        TraceText.Equal(
            ["10:00 u1 hooks entered", "10:00 u1 hooks sent first webhook", "10:05 u1 hooks path w event", "10:05 u1 hooks sent second webhook", "10:05 u1 hooks completed"],
            harness.Trace);
        Assert.Equal(
            [ActivityNames.Pull, ActivityNames.LoadDefinition, ActivityNames.Apply, ActivityNames.Send, ActivityNames.Pull, ActivityNames.Apply, ActivityNames.Send],
            harness.Host.ActivityCalls.Select(c => c.Name));
        Assert.Equal(["first", "second"], harness.Sends.Select(m => m.Step));
    }

    [Fact]
    public void Continue_as_new_keeps_the_history_of_a_long_running_enrollment_short()
    {
        var bounded = AzureHarness.FromJson([PingLoop], maxIterations: 32);
        var unbounded = AzureHarness.FromJson([PingLoop], maxIterations: int.MaxValue);
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
    }

    [Fact]
    public void Each_decision_is_reported_once_whatever_the_replays()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        harness.Ingest(Track("u1", "A", "10:05"));
        harness.Ingest(Track("u1", "B", "10:06"));

        var instance = harness.Host.Instances[EnrollmentState.IdFor("two", "u1", 1)];
        Assert.True(instance.Replays > 3);
        Assert.Equal(["Started", "EventArrived", "EventArrived"], harness.Decisions.Select(d => d.Input));
        Assert.Equal(3, harness.Host.ActivityCalls.Count(c => c.Name == ActivityNames.Pull));
        Assert.Equal("Completed", instance.Output);
    }

    [Fact]
    public void A_stop_exits_the_enrollment_and_ends_the_orchestration()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));

        harness.Stop("two", Times.At("11:00"));

        TraceText.Equal(["10:00 u1 two entered", "11:00 u1 two exited stopped"], harness.Trace);
        Assert.Equal(FakeDurableHost.InstanceStatus.Completed, harness.Host.Instances["two:u1:1"].Status);
        Assert.Null(harness.Host.NextTimer); // the pending timeout was cancelled (its firing is ignored)
    }

    [Fact]
    public void A_timer_due_before_a_late_event_fires_first()
    {
        var harness = AzureHarness.FromJson([TwoWaits]);
        harness.Ingest(Track("u1", "Start", "10:00"));
        var id = EnrollmentState.IdFor("two", "u1", 1);
        // the event was processed after the timeout but its wake reaches the orchestration before the timer does
        harness.Stores.History.Append("u1", "A", Times.At("+2d 10:00"), CustomerEvent.EmptyObject);
        harness.Host.Raise(id, ActivityNames.EventName, "wake");
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
