using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// One engine decision of an orchestration, reported once (never during replay) for logs. Ids,
/// step names and counts only: nothing about the person.
/// </summary>
public sealed record EnrollmentDecision(string InstanceId, string Input, string? Step, EnrollmentStatus Status, int Effects, int Generation);
