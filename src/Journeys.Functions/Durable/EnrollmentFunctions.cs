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
    DefinitionCatalog catalog,
    IMessageDelivery channels,
    IngestorFactory ingestors,
    ILogger<EnrollmentFunctions> log,
    Channels.AzureTracking tracking)
{
    [Function(ActivityNames.Orchestrator)]
    public Task<string?> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        orchestrator.RunAsync(new DurableOrchestrationContext(context), context.GetInput<string>()
            ?? throw new InvalidOperationException("an enrollment orchestration needs its input"));

    [Function(ActivityNames.Pull)]
    public string Pull([ActivityTrigger] string request) => activities.Pull(request);

    [Function(ActivityNames.LoadDefinition)]
    public string LoadDefinition([ActivityTrigger] string request)
    {
        var parsed = OrchestrationJson.ReadDefinitionRequest(request);
        return OrchestrationJson.Write(catalog.Source(parsed.JourneyId, parsed.Version)
            ?? throw new InvalidOperationException($"journey {parsed.JourneyId} version {parsed.Version} is not published"));
    }

    [Function(ActivityNames.Apply)]
    public string Apply([ActivityTrigger] string request)
    {
        var parsed = OrchestrationJson.ReadApply(request);
        // one decision's rows share a key scope: a retried activity rewrites them rather than adding copies
        users.Apply(parsed.After, parsed.Traces, parsed.SendTimes, $"{parsed.Before.EnrollmentId}~{parsed.Before.StepsTaken}~{parsed.After.StepsTaken}");
        activities.ApplyProfileUpdates(parsed.ProfileUpdates);
        return "ok";
    }

    /// <summary>
    /// The sent-mark for the message's idempotency key is checked first and written after the provider took it:
    /// a retry after the mark sends nothing; a crash between the provider and the mark is left to the channel's
    /// own key (webhook Idempotency-Key, ACS Email operation id; SMS has none: docs/azure.md). A tracked e-mail gets
    /// its tracking here, at delivery (the same bytes on every attempt), whatever the delivery (ACS, the dev host's outbox).
    /// </summary>
    [Function(ActivityNames.Send)]
    public async Task<string> Send([ActivityTrigger] string message, CancellationToken cancellation)
    {
        var parsed = OrchestrationJson.ReadSend(message);
        if (users.IsSent(parsed.UserId, parsed.IdempotencyKey))
        {
            return "sent-before";
        }
        await channels.SendAsync(tracking.Apply(parsed), cancellation);
        users.MarkSent(parsed.UserId, parsed.IdempotencyKey, parsed.At);
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
