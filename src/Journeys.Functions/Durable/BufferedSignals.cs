using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Durable;

/// <summary>
/// The ingestor's starts and wakes, kept while it decides (it is synchronous) and then sent with the Durable
/// client, once per enrollment. An orchestration is scheduled only when <c>GetInstanceAsync</c> finds no
/// instance: Durable starts a finished id over and may restart a running one, so its id dedupe is not relied
/// on (and a run that is not the enrollment's first exits on its claim). A wake goes only to an instance that
/// exists and has not finished (an event raised to no instance leaves a failing work item); its payload is
/// only a hint, the orchestration pulls what happened from the user's partition.
/// </summary>
public sealed class BufferedSignals : IEnrollmentSignals
{
    public const string WakePayload = "wake";

    private readonly List<EnrollmentState> _pending = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public int Count => _pending.Count;

    public void Start(EnrollmentState state) => Add(state);

    public void Wake(EnrollmentState state) => Add(state);

    public async Task FlushAsync(DurableTaskClient client, ILogger log, CancellationToken cancellation)
    {
        foreach (var state in _pending)
        {
            await EnsureAsync(client, state, log, cancellation);
        }
        _pending.Clear();
        _ids.Clear();
    }

    /// <summary>Starts the enrollment's orchestration when it has no instance, else wakes it if it still runs.</summary>
    public static async Task EnsureAsync(DurableTaskClient client, EnrollmentState state, ILogger log, CancellationToken cancellation)
    {
        var instance = await client.GetInstanceAsync(state.EnrollmentId, getInputsAndOutputs: false, cancellation);
        if (instance is null)
        {
            try
            {
                await client.ScheduleNewOrchestrationInstanceAsync(
                    ActivityNames.Orchestrator,
                    // the claim is made here, once per schedule call: a redelivered start message carries the same one
                    OrchestrationJson.Write(OrchestrationInput.Start(state, Guid.NewGuid().ToString("N"))),
                    new StartOrchestrationOptions(InstanceId: state.EnrollmentId),
                    cancellation);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // another ingestion scheduled it in between (a backend that refuses the id): wake that one instead
                instance = await client.GetInstanceAsync(state.EnrollmentId, getInputsAndOutputs: false, cancellation);
                if (instance is null)
                {
                    throw;
                }
            }
        }
        if (instance.IsCompleted)
        {
            log.LogInformation("Enrollment {InstanceId} has finished ({Status}): not woken", state.EnrollmentId, instance.RuntimeStatus);
            return;
        }
        await client.RaiseEventAsync(state.EnrollmentId, ActivityNames.EventName, WakePayload, cancellation);
    }

    private void Add(EnrollmentState state)
    {
        if (_ids.Add(state.EnrollmentId))
        {
            _pending.Add(state); // one start-or-wake per enrollment and event is enough: the orchestration pulls all
        }
    }
}
