using Microsoft.DurableTask;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Durable;

/// <summary>
/// The ingestor's signals, kept in order while it decides (it is synchronous) and then sent with the
/// Durable client: starts with the deterministic instance id, deliveries as the one external event.
/// </summary>
public sealed class BufferedSignals : IEnrollmentSignals
{
    private readonly List<(EnrollmentState? Start, string? Target, EnrollmentSignal? Signal)> _pending = [];

    public int Count => _pending.Count;

    public void Start(EnrollmentState state) => _pending.Add((state, null, null));

    public void Deliver(string enrollmentId, EnrollmentSignal signal) => _pending.Add((null, enrollmentId, signal));

    public async Task FlushAsync(DurableTaskClient client, ILogger log, CancellationToken cancellation)
    {
        foreach (var (start, target, signal) in _pending)
        {
            if (start is not null)
            {
                await StartAsync(client, start, log, cancellation);
            }
            else
            {
                await client.RaiseEventAsync(target!, ActivityNames.EventName, OrchestrationJson.Write(signal!), cancellation);
            }
        }
        _pending.Clear();
    }

    private static async Task StartAsync(DurableTaskClient client, EnrollmentState state, ILogger log, CancellationToken cancellation)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                ActivityNames.Orchestrator,
                OrchestrationJson.Write(OrchestrationInput.Start(state)),
                new StartOrchestrationOptions(InstanceId: state.EnrollmentId),
                cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the instance exists: an ingestion that ran again after a fault; starting it twice is a no-op
            if (await client.GetInstanceAsync(state.EnrollmentId, getInputsAndOutputs: false, cancellation) is null)
            {
                throw;
            }
            log.LogInformation("Enrollment {InstanceId} was started before", state.EnrollmentId);
        }
    }
}
