namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.LoadDefinition"/> activity's input.</summary>
public sealed record DefinitionRequest(string JourneyId, int Version);
