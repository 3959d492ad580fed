namespace Journeys.Core.Orchestration;

/// <summary>The names the orchestrator and the Functions app agree on.</summary>
public static class ActivityNames
{
    public const string Orchestrator = "EnrollmentOrchestrator";

    /// <summary>
    /// The one read of a wake-up: claims the enrollment (first run), returns the user's events after the
    /// orchestration's cursor, a recorded stop, and the context (profile, history, recent sends).
    /// </summary>
    public const string Pull = "PullEnrollmentInputs";

    /// <summary>A published journey version's JSON (and the segments it may name), compiled in the orchestrator.</summary>
    public const string LoadDefinition = "LoadJourneyDefinition";

    /// <summary>The new state, trace records, send-log entries and profile updates of one decision.</summary>
    public const string Apply = "ApplyEnrollmentEffects";

    /// <summary>One message to its channel, at most once per idempotency key where the channel allows.</summary>
    public const string Send = "SendMessage";

    /// <summary>
    /// A jump step's entry into another journey (<see cref="JumpRequest"/>): the ingestion's entry code, then the
    /// target's orchestration is started if it has no instance.
    /// </summary>
    public const string Jump = "EnterJumpTarget";

    /// <summary>
    /// The one external event name. It only wakes the orchestration (its payload is ignored): the user's
    /// partition holds what happened, and the orchestration pulls it.
    /// </summary>
    public const string EventName = "journey-event";
}
