namespace Journeys.Core.Orchestration;

/// <summary>
/// What the first <see cref="ActivityNames.Pull"/> of an execution returns with (<see cref="PullResult.Definition"/>),
/// or the <see cref="ActivityNames.LoadDefinition"/> activity's result: a published journey version's JSON and the
/// segments' JSON it is compiled with. It reaches the orchestrator through Durable's history, so replays
/// compile the same text (no storage read in orchestrator code).
/// </summary>
public sealed record DefinitionSource(string JourneyId, int Version, string Journey, IReadOnlyList<string> Segments);
