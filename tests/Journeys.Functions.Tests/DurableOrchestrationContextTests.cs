using Journeys.Core.Orchestration;
using Journeys.Functions.Durable;
using Microsoft.DurableTask;
using Moq;

namespace Journeys.Functions.Tests;

/// <summary>The adapter passes each call to Durable's context as is, with the retry policy Core asks for.</summary>
public sealed class DurableOrchestrationContextTests
{
    [Fact]
    public async Task Activities_go_to_durable_with_their_retry_policy()
    {
        var durable = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        TaskOptions? seen = null;
        durable.Setup(c => c.CallActivityAsync<string>(It.Is<TaskName>(n => n.Name == ActivityNames.Apply), "{}", It.IsAny<TaskOptions?>()))
            .Callback<TaskName, object?, TaskOptions?>((_, _, options) => seen = options)
            .ReturnsAsync("ok");

        var result = await new DurableOrchestrationContext(durable.Object).CallActivityAsync(ActivityNames.Apply, "{}", ActivityRetry.Storage);

        Assert.Equal("ok", result);
        var policy = Assert.IsType<RetryPolicy>(seen?.Retry?.Policy);
        Assert.Equal(ActivityRetry.Storage.MaxAttempts, policy.MaxNumberOfAttempts);
        Assert.Equal(ActivityRetry.Storage.FirstInterval, policy.FirstRetryInterval);
        Assert.Equal(ActivityRetry.Storage.BackoffCoefficient, policy.BackoffCoefficient);
        Assert.Equal(ActivityRetry.Storage.MaxInterval, policy.MaxRetryInterval);
    }

    [Fact]
    public async Task Timers_events_and_continue_as_new_pass_through()
    {
        var durable = new Mock<TaskOrchestrationContext>(MockBehavior.Strict);
        var fireAt = new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Utc);
        using var cancel = new CancellationTokenSource();
        durable.Setup(c => c.CreateTimer(fireAt, cancel.Token)).Returns(Task.CompletedTask);
        durable.Setup(c => c.WaitForExternalEvent<string>(ActivityNames.EventName, default)).ReturnsAsync("signal");
        durable.Setup(c => c.ContinueAsNew("next", true));
        durable.SetupGet(c => c.InstanceId).Returns("cart:u1:1");
        durable.SetupGet(c => c.IsReplaying).Returns(true);
        durable.SetupGet(c => c.CurrentUtcDateTime).Returns(fireAt);
        var context = new DurableOrchestrationContext(durable.Object);

        await context.CreateTimer(fireAt, cancel.Token);
        Assert.Equal("signal", await context.WaitForExternalEvent(ActivityNames.EventName));
        context.ContinueAsNew("next", preserveUnprocessedEvents: true);

        Assert.Equal("cart:u1:1", context.InstanceId);
        Assert.True(context.IsReplaying);
        Assert.Equal(fireAt, context.CurrentUtcDateTime);
        durable.VerifyAll();
    }
}
