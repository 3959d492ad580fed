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

    /// <summary>
    /// A published journey version's JSON (and the segments it may name), compiled in the orchestrator. Executions
    /// started by this code get it with their first <see cref="Pull"/> (<see cref="PullRequest.Definition"/>); kept for
    /// executions whose history was written before (<see cref="OrchestrationInput.Folded"/> false) and for a pull
    /// answered by a worker that did not know the request's <see cref="PullRequest.Definition"/>.
    /// </summary>
    public const string LoadDefinition = "LoadJourneyDefinition";

    /// <summary>
    /// The new state, trace records, send-log entries and profile updates of one decision, then its messages
    /// (<see cref="ApplyRequest.Sends"/>), each as <see cref="Send"/> delivers one.
    /// </summary>
    public const string Apply = "ApplyEnrollmentEffects";

    /// <summary>What <see cref="Apply"/> answers once it has also delivered the request's <see cref="ApplyRequest.Sends"/>.</summary>
    public const string AppliedAndSent = "applied-and-sent";

    /// <summary>
    /// One message to its channel, at most once per idempotency key where the channel allows. Executions started by
    /// this code send within <see cref="Apply"/>; kept for executions whose history was written before
    /// (<see cref="OrchestrationInput.Folded"/> false) and for an apply answered by a worker that did not send.
    /// </summary>
    public const string Send = "SendMessage";

    /// <summary>
    /// Counts a decision's rate-limited sends in their channels' minute rows (<see cref="RateSlotRequest"/>, DESIGN
    /// §10): called only by executions whose first pull returned rate limits, before the decision's <see cref="Apply"/>.
    /// </summary>
    public const string TakeRateSlots = "TakeRateSlots";

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
