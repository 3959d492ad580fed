using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>One published version of a journey (versions count up from 1 per journey).</summary>
public sealed record JourneyVersion(JourneyDefinition Definition, int Version);
