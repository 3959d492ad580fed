using Journeys.Core.Orchestration;
using Journeys.Functions.Channels;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Journeys.Functions.Durable;

/// <summary>The enrollment orchestration and its activities: bindings around Core's orchestrator and activities.</summary>
public sealed class EnrollmentFunctions(EnrollmentOrchestrator orchestrator, EnrollmentActivities activities, TableTraceOutput traces, IMessageChannel channels)
{
    [Function(ActivityNames.Orchestrator)]
    public Task<string?> RunOrchestrator([OrchestrationTrigger] TaskOrchestrationContext context) =>
        orchestrator.RunAsync(new DurableOrchestrationContext(context), context.GetInput<string>()
            ?? throw new InvalidOperationException("an enrollment orchestration needs its input"));

    [Function(ActivityNames.LoadContext)]
    public string LoadContext([ActivityTrigger] string request) => activities.LoadContext(request);

    [Function(ActivityNames.Apply)]
    public string Apply([ActivityTrigger] string request)
    {
        var parsed = OrchestrationJson.ReadApply(request);
        // one decision's records share a key scope: a retried activity rewrites them rather than adding copies
        using (traces.Scope($"{parsed.Before.EnrollmentId}~{parsed.Before.StepsTaken}~{parsed.After.StepsTaken}"))
        {
            return activities.Apply(request);
        }
    }

    [Function(ActivityNames.Send)]
    public async Task<string> Send([ActivityTrigger] string message, CancellationToken cancellation)
    {
        await channels.SendAsync(OrchestrationJson.ReadSend(message), cancellation);
        return "ok";
    }
}
