using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Microsoft.DurableTask.Client;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// The guarantees of DESIGN §5 on the real Durable engine, each on the test host's in-memory backend and on
/// Durable's Azure Storage backend (Azurite): a batch handed in again changes nothing, an instance id scheduled
/// again after it finished does nothing, a wake lost in a crash is made up for by the timer's pull and by the
/// redelivery, and wakes around ContinueAsNew lose nothing.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class GuaranteeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const string TwoHooks = """
        {"id":"hooks","entry":{"event":"Go"},"start":"first",
         "steps":{"first":{"type":"send","channel":"webhook","content":{"url":"https://example.test/first"},"next":"pause"},
                  "pause":{"type":"delay","for":"PT2S","next":"second"},
                  "second":{"type":"send","channel":"webhook","content":{"url":"https://example.test/second"}}}}
        """;

    private const string WaitShort = """
        {"id":"short","entry":{"event":"Go"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"A","timeout":"PT4S","onEvent":"yes","onTimeout":"no"},
                  "yes":{"type":"send","channel":"webhook","content":{"url":"https://example.test/yes"}},
                  "no":{"type":"send","channel":"webhook","content":{"url":"https://example.test/no"}}}}
        """;

    private const string WaitLong = """
        {"id":"long","entry":{"event":"Begin"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"B","timeout":"PT1H","onEvent":"yes","onTimeout":"no"},
                  "yes":{"type":"send","channel":"webhook","content":{"url":"https://example.test/yes"}},
                  "no":{"type":"send","channel":"webhook","content":{"url":"https://example.test/no"}}}}
        """;

    private const string Pair = """
        {"id":"pair","entry":{"event":"Go"},"start":"a",
         "steps":{"a":{"type":"send","channel":"webhook","content":{"url":"https://example.test/a"},"next":"b"},
                  "b":{"type":"send","channel":"webhook","content":{"url":"https://example.test/b"}}}}
        """;

    private const string PingLoop = """
        {"id":"ping","entry":{"event":"Start"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"Ping","timeout":"PT30S","onEvent":"hook"},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/ping"},"next":"wait"}}}
        """;

    private static string Track(string messageId, string user, string name) =>
        $$"""{"type":"track","messageId":"{{messageId}}","userId":"{{user}}","event":"{{name}}","timestamp":"2026-12-01T10:00:00Z"}""";

    private static (string, string)[] Journeys(params string[] json) => [.. json.Select((j, i) => ($"j{i}.journey.json", j))];

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task The_same_batch_handed_in_again_changes_nothing(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(TwoHooks));
        string[] batch = [Track("m1", "u1", "Go")];
        const string id = "hooks:u1:1";

        var first = await host.IngestAsync(batch);
        var again = await host.IngestAsync(batch); // while the enrollment runs: it is woken, not started again
        await host.WaitForCompletionAsync(id, Limit);
        var late = await host.IngestAsync(batch); // after it finished: a finished instance is left alone
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal((1, 0), (first.Accepted, first.Duplicates));
        Assert.Equal((0, 1), (again.Accepted, again.Duplicates));
        Assert.Equal((0, 1), (late.Accepted, late.Duplicates));
        Assert.Single(host.Enrollments("u1"));
        Assert.Equal(["entered", "sent", "sent", "completed"], Kinds(host.TraceLines("u1")));
        Assert.Equal(2, host.Delivery.Delivered.Count);
        Assert.Equal(2, host.Delivery.Delivered.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal("Completed", (await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true))!.ReadOutputAs<string>());
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task An_instance_id_scheduled_again_after_it_finished_does_nothing(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(TwoHooks));
        const string id = "hooks:u1:1";
        await host.IngestAsync(Track("m1", "u1", "Go"));
        await host.WaitForCompletionAsync(id, Limit);
        var traces = host.TraceLines("u1");
        var initial = host.Enrollments("u1").Single() with { Status = EnrollmentStatus.Active, Step = "first", StepsTaken = 0 };

        // Durable starts a finished id over (both backends): the new run's claim is not the enrollment's
        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            ActivityNames.Orchestrator, OrchestrationJson.Write(OrchestrationInput.Start(initial, Guid.NewGuid().ToString("N"))), new Microsoft.DurableTask.StartOrchestrationOptions(InstanceId: id));
        var rerun = await host.WaitForCompletionAsync(id, Limit);

        Assert.Equal(EnrollmentOrchestrator.NotOwned, rerun.ReadOutputAs<string>());
        Assert.Equal(traces, host.TraceLines("u1"));
        Assert.Equal(2, host.Delivery.Delivered.Count);
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_wake_lost_in_a_crash_is_made_up_for_by_the_timers_pull_and_by_the_redelivery(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(WaitShort, WaitLong));

        // the timer: its wake-up pulls first, and takes the event processed before the timeout, in order
        await host.IngestAsync(Track("s1", "u1", "Go"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u1").Count == 1, Limit, "u1 entered");
        host.IngestThenCrash(Track("s2", "u1", "A"));
        await host.WaitForCompletionAsync("short:u1:1", Limit);
        Assert.Equal(["entered", "path", "sent", "completed"], Kinds(host.TraceLines("u1")));
        Assert.Contains("\"path\":\"event\"", host.TraceLines("u1")[1]);

        // the redelivery: an hour's timeout is not waited for, the repeated message wakes it
        await host.IngestAsync(Track("l1", "u2", "Begin"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u2").Count == 1, Limit, "u2 entered");
        host.IngestThenCrash(Track("l2", "u2", "B"));
        Assert.Equal(1, (await host.IngestAsync(Track("l2", "u2", "B"))).Duplicates);
        await host.WaitForCompletionAsync("long:u2:1", Limit);
        Assert.Contains("\"path\":\"event\"", host.TraceLines("u2")[1]);

        // a crash before the start: the redelivered entry event starts the recorded enrollment
        host.IngestThenCrash(Track("l3", "u3", "Begin"));
        Assert.Null(await host.Client.GetInstanceAsync("long:u3:1"));
        await host.IngestAsync(Track("l3", "u3", "Begin"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u3").Count == 1, Limit, "u3 entered after the redelivery");
        Assert.Single(host.Enrollments("u3"));

        Assert.Equal(2, host.Delivery.Delivered.Count);
        Assert.All(host.Delivery.Delivered, m => Assert.EndsWith("/yes", m.To));
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task Continuing_as_new_with_events_arriving_around_it_loses_nothing(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(PingLoop), maxIterations: 2);
        await host.IngestAsync(Track("p0", "u1", "Start"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u1").Count == 1, Limit, "entered");
        const int pings = 12;
        for (var i = 1; i <= pings; i++)
        {
            // in ones and twos, with and without a pause: some arrive while it continues as new
            await host.IngestAsync(i % 3 == 0 ? [Track($"p{i}", "u1", "Ping"), Track($"p{i}b", "u1", "Other")] : [Track($"p{i}", "u1", "Ping")]);
            if (i % 4 == 0)
            {
                // let it drain: with nothing pending after two inputs it continues as new, so each of these
                // pauses makes one more generation, whatever the backend's speed (the pings between arrive around it)
                var delivered = i;
                await RealEngineHost.WaitUntilAsync(() => host.Delivery.Delivered.Count >= delivered, Limit, $"{delivered} pings delivered");
            }
            else if (i % 2 == 0)
            {
                await Task.Delay(250);
            }
        }

        await RealEngineHost.WaitUntilAsync(() => host.Delivery.Delivered.Count >= pings, Limit, $"{pings} pings delivered");
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(pings, host.Delivery.Delivered.Count);
        Assert.Equal(pings, host.Delivery.Delivered.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(pings, host.TraceLines("u1").Count(l => l.Contains("\"path\":\"event\"", StringComparison.Ordinal)));
        Assert.True(host.Decisions.Max(d => d.Generation) >= 2, $"continued as new {host.Decisions.Max(d => d.Generation)} times");
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_stop_recorded_in_the_partition_ends_the_enrollment_and_a_resend_sends_nothing_twice(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(WaitLong));
        await host.IngestAsync(Track("b1", "u1", "Begin"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u1").Count == 1, Limit, "entered");

        // as the admin API's stop: the stop is written to the enrollment row, then the orchestration is woken
        var signals = new Durable.BufferedSignals();
        Assert.Equal(1, host.Ingestors.Create(signals).Stop("long", DateTimeOffset.UtcNow));
        await signals.FlushAsync(host.Client, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        await host.WaitForCompletionAsync("long:u1:1", Limit);
        Assert.Equal(["entered", "exited"], Kinds(host.TraceLines("u1")));

        // the send activity run again for a delivered message (a retry after a crash): the sent-mark stops it
        var message = new SendMessage(DateTimeOffset.UtcNow, "long:u1:1", "u1", "long", "yes", Core.Definitions.Channel.Webhook,
            "https://example.test/yes", new Dictionary<string, string>(), new Dictionary<string, string>(), "long:u1:1|yes|1");
        var json = OrchestrationJson.Write(message);
        Assert.Equal("ok", await host.Functions.Send(json, CancellationToken.None));
        Assert.Equal("sent-before", await host.Functions.Send(json, CancellationToken.None));
        Assert.Equal(1, host.DeliveriesOf(message.IdempotencyKey));
    }

    /// <remarks>
    /// Durable's Azure Storage backend enqueues an episode's activities before it checkpoints the episode's
    /// history; killed in between, the first pull has run and claimed the enrollment while the start message
    /// comes back (after its visibility timeout) and runs the first episode again, at a new time. The test
    /// does what that crash leaves: the enrollment recorded, its first pull run with the start input's claim,
    /// then the same start input scheduled. The real engine's second first episode must find itself the owner.
    /// </remarks>
    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_first_episode_run_again_after_its_pull_claimed_keeps_its_claim(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(TwoHooks));
        host.IngestThenCrash(Track("m1", "u1", "Go"));
        var state = host.Enrollments("u1").Single();
        var input = OrchestrationInput.Start(state, Guid.NewGuid().ToString("N"));
        var firstPull = OrchestrationJson.ReadPull(host.Functions.Pull(OrchestrationJson.Write(
            new PullRequest(state.EnrollmentId, state.UserId, input.LastSequence, input.Claim!, DateTimeOffset.MaxValue))));
        Assert.True(firstPull.Owned);

        await host.Client.ScheduleNewOrchestrationInstanceAsync(
            ActivityNames.Orchestrator, OrchestrationJson.Write(input), new Microsoft.DurableTask.StartOrchestrationOptions(InstanceId: state.EnrollmentId));
        var run = await host.WaitForCompletionAsync(state.EnrollmentId, Limit);

        Assert.Equal("Completed", run.ReadOutputAs<string>());
        Assert.Equal(["entered", "sent", "sent", "completed"], Kinds(host.TraceLines("u1")));
        Assert.Equal(2, host.Delivery.Delivered.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(2, host.Delivery.Delivered.Count);
    }

    /// <remarks>
    /// A decision's messages are delivered by its Apply activity. The first attempt delivers "a" and is throttled
    /// at "b"; Durable's retry (ActivityRetry.ApplyAndSend, 5 s) applies the decision again — the same rows — and
    /// delivers only "b", whose sent-mark is not written; "a"'s is. Then "b" once more is throttled twice in a row
    /// in a second enrollment: each retry still skips "a".
    /// </remarks>
    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_throttled_send_of_a_decision_is_retried_and_re_applies_sending_only_what_is_not_marked(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Journeys(Pair));
        host.Delivery.Throttle(2);
        await host.IngestAsync(Track("m1", "u1", "Go"));
        var run = await host.WaitForCompletionAsync("pair:u1:1", Limit);

        Assert.Equal("Completed", run.ReadOutputAs<string>());
        Assert.Equal(3, host.Delivery.Calls); // a, b throttled, b
        Assert.Equal(["a", "b"], host.Delivery.Delivered.Select(m => m.Step));
        Assert.Equal(["entered", "sent", "sent", "completed"], Kinds(host.TraceLines("u1"))); // re-applied, not added
        Assert.Single(host.Enrollments("u1"));

        host.Delivery.Throttle(2, 3);
        await host.IngestAsync(Track("m2", "u2", "Go"));
        Assert.Equal("Completed", (await host.WaitForCompletionAsync("pair:u2:1", TimeSpan.FromSeconds(90))).ReadOutputAs<string>());
        Assert.Equal(7, host.Delivery.Calls); // a, b throttled, b throttled, b
        Assert.Equal(["a", "b"], host.Delivery.Delivered.Where(m => m.UserId == "u2").Select(m => m.Step));
        Assert.Equal(["entered", "sent", "sent", "completed"], Kinds(host.TraceLines("u2")));
    }

    private static string[] Kinds(IReadOnlyList<string> lines) =>
        [.. lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString()!)];
}
