using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>Something the driver must do after an engine decision, in the order given.</summary>
public abstract record Effect;

/// <summary>
/// A message to deliver. <see cref="IdempotencyKey"/> is stable for this step visit whatever the
/// number of delivery attempts, so a provider can drop a repeat.
/// </summary>
public sealed record SendMessage(
    DateTimeOffset At,
    string EnrollmentId,
    string UserId,
    string JourneyId,
    string Step,
    Channel Channel,
    string To,
    IReadOnlyDictionary<string, string> Content,
    IReadOnlyDictionary<string, string> Headers,
    string IdempotencyKey) : Effect
{
    /// <summary>An e-mail of a send with <c>"track": true</c>: the host adds tracking at delivery (DESIGN §9).</summary>
    public bool Track { get; init; }
}

/// <summary>Traits to merge into the profile (an <c>update</c> step).</summary>
public sealed record UpdateProfile(string UserId, Value Traits) : Effect;

/// <summary>A trace record (DESIGN §6).</summary>
public sealed record Trace(TraceRecord Record) : Effect;

/// <summary>
/// A <c>jump</c> step ended the enrollment: the driver enters the user into <see cref="JourneyId"/> by
/// its entry rules other than its trigger, with <see cref="EntryEvent"/> carried over.
/// </summary>
public sealed record JumpTo(DateTimeOffset At, string UserId, string FromJourneyId, string JourneyId, CustomerEvent? EntryEvent) : Effect;

/// <summary>A user took a path of an experiment split: the driver counts the entry and remembers it for the window's conversions.</summary>
public sealed record ExperimentAssigned(DateTimeOffset At, string JourneyId, string Step, string UserId, string Path) : Effect;

/// <summary>The experiment's winner was chosen at <see cref="At"/> from the counts the engine read: the driver records it once.</summary>
public sealed record WinnerChosen(DateTimeOffset At, string JourneyId, string Step, string Path) : Effect;

/// <summary>A rate-limited channel's send took the slot at <see cref="Slot"/>: the channel's next send may go at <see cref="NextFree"/>.</summary>
public sealed record RateSlotTaken(Channel Channel, DateTimeOffset Slot, DateTimeOffset NextFree) : Effect;

/// <summary>
/// An enrollment moved along the graph from <see cref="From"/> to <see cref="To"/> (per-edge counts). Instances are
/// made once per journey version (<see cref="CompiledJourney.Edge"/>), so counting edges allocates nothing.
/// </summary>
public sealed record EdgeTaken(string JourneyId, string From, string To) : Effect;

/// <summary>
/// An enrollment arrived at <see cref="Step"/>: at entry (the journey's first step) or along an edge, not when a
/// waiting step wakes (per-step reached counts). One instance per step and journey version
/// (<see cref="CompiledJourney.Reached"/>), like <see cref="EdgeTaken"/>.
/// </summary>
public sealed record StepReached(string JourneyId, string Step) : Effect;
