using Journeys.Core.Orchestration;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Durable;

/// <summary>The enrollment orchestration and its activities: bindings around Core's orchestrator and activities.</summary>
public sealed class EnrollmentFunctions(
    EnrollmentOrchestrator orchestrator,
    EnrollmentActivities activities,
    TableUserPartition users,
    IMessageDelivery channels,
    IngestorFactory ingestors,
    ILogger<EnrollmentFunctions> log,
    Channels.AzureTracking tracking)
{
    [Function(ActivityNames.Orchestrator)]
    public Task<string?> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        orchestrator.RunAsync(new DurableOrchestrationContext(context), context.GetInput<string>()
            ?? throw new InvalidOperationException("an enrollment orchestration needs its input"));

    /// <summary>The partition's pull; an execution's first also reads the definition from the catalog (<c>EnrollmentActivities</c>' source).</summary>
    [Function(ActivityNames.Pull)]
    public string Pull([ActivityTrigger] string request) => activities.Pull(request);

    /// <summary>Only for executions from before the definition came with the first pull (docs/azure.md, "Upgrading").</summary>
    [Function(ActivityNames.LoadDefinition)]
    public string LoadDefinition([ActivityTrigger] string request) => activities.LoadDefinition(request);

    /// <summary>A decision's rate-limited sends counted in their channels' minute rows (<c>Storage/TableRateSlots</c>).</summary>
    [Function(ActivityNames.TakeRateSlots)]
    public string TakeRateSlots([ActivityTrigger] string request) => activities.TakeRateSlots(request);

    /// <summary>
    /// The decision's rows, then its messages in order, each as <see cref="Send"/> delivers one. A failed delivery
    /// (a throttle whose Retry-After is too long to wait inline, an error) fails the activity and Durable retries it
    /// with <c>ActivityRetry.ApplyAndSend</c>: the retry rewrites the same rows and skips every message already marked.
    /// </summary>
    [Function(ActivityNames.Apply)]
    public async Task<string> Apply([ActivityTrigger] string request, CancellationToken cancellation)
    {
        var parsed = OrchestrationJson.ReadApply(request);
        // one decision's rows share a key scope: a retried activity rewrites them rather than adding copies
        users.Apply(parsed.After, parsed.Traces, parsed.SendTimes, parsed.DecisionScope());
        activities.ApplyProfileUpdates(parsed.ProfileUpdates);
        activities.RecordExperiments(parsed); // the counters table, each assignment under a marker: a retry counts none twice
        foreach (var message in parsed.Sends ?? [])
        {
            await DeliverAsync(message, cancellation);
        }
        return ActivityNames.AppliedAndSent;
    }

    /// <summary>One message, for executions from before the sends went with <see cref="Apply"/> (docs/azure.md, "Upgrading").</summary>
    [Function(ActivityNames.Send)]
    public Task<string> Send([ActivityTrigger] string message, CancellationToken cancellation) =>
        DeliverAsync(OrchestrationJson.ReadSend(message), cancellation);

    /// <summary>
    /// The sent-mark for the message's idempotency key is checked first and written after the provider took it:
    /// a retry after the mark sends nothing; a crash between the provider and the mark is left to the channel's
    /// own key (webhook Idempotency-Key, ACS Email operation id; SMS has none: docs/azure.md). A tracked e-mail gets
    /// its tracking here, at delivery (the same bytes on every attempt), whatever the delivery (ACS, the dev host's outbox).
    /// </summary>
    private async Task<string> DeliverAsync(Core.Engine.SendMessage message, CancellationToken cancellation)
    {
        if (users.IsSent(message.UserId, message.IdempotencyKey))
        {
            return "sent-before";
        }
        await channels.SendAsync(tracking.Apply(message), cancellation);
        users.MarkSent(message.UserId, message.IdempotencyKey, message.At);
        return "ok";
    }

    /// <summary>
    /// A jump step (DESIGN §9): the ingestion's entry code enters the user into the target journey (its trace rows
    /// under the jump's marker, so a retry rewrites them), then the target's orchestration is started only if
    /// <c>GetInstanceAsync</c> finds none, as the ingestion starts it. A retry after the entry finds the marker in
    /// the user's partition and only makes sure that orchestration runs.
    /// </summary>
    [Function(ActivityNames.Jump)]
    public async Task<string> Jump([ActivityTrigger] string request, [DurableClient] DurableTaskClient durable, CancellationToken cancellation)
    {
        var parsed = OrchestrationJson.ReadJump(request);
        var signals = new BufferedSignals();
        using (ingestors.Traces.Scope(parsed.Marker))
        {
            ingestors.Create(signals).Jump(parsed.Jump, parsed.Marker);
        }
        await signals.FlushAsync(durable, log, cancellation);
        return "ok";
    }
}
