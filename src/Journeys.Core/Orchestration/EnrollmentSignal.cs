using Journeys.Core.Audience;

namespace Journeys.Core.Orchestration;

/// <summary>
/// What the ingestion raises to an enrollment's orchestration (<see cref="ActivityNames.EventName"/>):
/// a customer event, or a stop. Both go through the one waiter, so they are handled in the order sent.
/// </summary>
/// <param name="At">The instant the ingestion processed it (the engine input's time).</param>
/// <param name="Sequence">The event's place in the user's history; a repeat of a handled sequence is ignored.</param>
public sealed record EnrollmentSignal(string Kind, DateTimeOffset At, CustomerEvent? Event = null, long Sequence = 0)
{
    public const string EventKind = "event";
    public const string StopKind = "stop";

    public static EnrollmentSignal For(CustomerEvent e, DateTimeOffset at, long sequence) => new(EventKind, at, e, sequence);

    public static EnrollmentSignal Stop(DateTimeOffset at) => new(StopKind, at);
}
