using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.Jump"/> activity's input.</summary>
/// <param name="Marker">The jumping decision's id (enrollment and steps taken), recorded with the entry so a retried activity enters once.</param>
public sealed record JumpRequest(JumpTo Jump, string Marker);
