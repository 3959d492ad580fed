namespace Journeys.Core.Runtime;

/// <summary>What became of one ingested event.</summary>
public enum IngestOutcome { Accepted, Duplicate }
