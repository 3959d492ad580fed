namespace Journeys.Core.Orchestration;

/// <summary>The names the orchestrator and the Functions app agree on.</summary>
public static class ActivityNames
{
    public const string Orchestrator = "EnrollmentOrchestrator";

    /// <summary>Profile, history and recent sends for one engine decision.</summary>
    public const string LoadContext = "LoadEnrollmentContext";

    /// <summary>The new state, trace records, send-log entries and profile updates of one decision.</summary>
    public const string Apply = "ApplyEnrollmentEffects";

    /// <summary>One message to its channel.</summary>
    public const string Send = "SendMessage";

    /// <summary>The one external event name: customer events and stop requests share it, so there is one waiter.</summary>
    public const string EventName = "journey-event";
}
