using Journeys.Core.Orchestration;
using Microsoft.DurableTask;

namespace Journeys.Functions.Durable;

/// <summary>Durable Task's orchestration context as Core's <see cref="IOrchestrationContext"/>: a pass-through.</summary>
public sealed class DurableOrchestrationContext(TaskOrchestrationContext context) : IOrchestrationContext
{
    public string InstanceId => context.InstanceId;

    public DateTime CurrentUtcDateTime => context.CurrentUtcDateTime;

    public bool IsReplaying => context.IsReplaying;

    public Guid NewGuid() => context.NewGuid();

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => context.CreateTimer(fireAt, cancellationToken);

    public Task<string> WaitForExternalEvent(string eventName, CancellationToken cancellationToken = default) =>
        context.WaitForExternalEvent<string>(eventName, cancellationToken);

    public Task<string> CallActivityAsync(string name, string input, ActivityRetry retry) =>
        context.CallActivityAsync<string>(name, input, Options(retry));

    public void ContinueAsNew(string newInput, bool preserveUnprocessedEvents) => context.ContinueAsNew(newInput, preserveUnprocessedEvents);

    internal static TaskOptions Options(ActivityRetry retry) => TaskOptions.FromRetryPolicy(
        new RetryPolicy(retry.MaxAttempts, retry.FirstInterval, retry.BackoffCoefficient, retry.MaxInterval));
}
