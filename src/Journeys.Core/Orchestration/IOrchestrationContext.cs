namespace Journeys.Core.Orchestration;

/// <summary>
/// The part of Durable Task's <c>TaskOrchestrationContext</c> the enrollment orchestrator uses, so the
/// loop lives in Core (compiled and tested here) and the Functions app only adapts. Payloads are JSON
/// strings written by <see cref="OrchestrationJson"/>: Durable's data converter only ever sees strings.
/// </summary>
public interface IOrchestrationContext
{
    string InstanceId { get; }

    /// <summary>Replay-safe time: the time of the current orchestration episode.</summary>
    DateTime CurrentUtcDateTime { get; }

    bool IsReplaying { get; }

    /// <summary>A replay-safe new GUID (the same on every replay of this execution).</summary>
    Guid NewGuid();

    /// <summary>A durable timer; cancelling the token abandons it (a cancelled timer never completes the task).</summary>
    Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken);

    /// <summary>The next event raised with this name (events raised while nobody waits are kept, oldest first, within one execution).</summary>
    Task<string> WaitForExternalEvent(string eventName, CancellationToken cancellationToken = default);

    Task<string> CallActivityAsync(string name, string input, ActivityRetry retry);

    /// <summary>Restarts the orchestration with a new input and an empty history; the caller returns right after.</summary>
    void ContinueAsNew(string newInput, bool preserveUnprocessedEvents);
}
