using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>What can happen to an enrollment. Time arrives only this way: the engine has no clock.</summary>
public abstract record EngineInput(DateTimeOffset At);

/// <summary>The enrollment begins (its state was created by <see cref="JourneyEngine.Start"/>).</summary>
public sealed record Started(DateTimeOffset At) : EngineInput(At);

/// <summary>A timer the enrollment asked for (<see cref="EnrollmentState.NextWake"/>) has come due.</summary>
public sealed record TimerFired(DateTimeOffset At) : EngineInput(At);

/// <summary>One of the user's events, processed after the enrollment's previous input.</summary>
public sealed record EventArrived(DateTimeOffset At, CustomerEvent Event) : EngineInput(At);

/// <summary>The journey was stopped by an operator: everyone exits with reason <c>stopped</c>.</summary>
public sealed record StopRequested(DateTimeOffset At) : EngineInput(At);

/// <summary>The user stopped qualifying for a segment (evaluated when one of their events or identify calls arrives).</summary>
public sealed record SegmentLeft(DateTimeOffset At, string Segment) : EngineInput(At);
