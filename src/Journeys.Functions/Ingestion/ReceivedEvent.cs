namespace Journeys.Functions.Ingestion;

/// <summary>One message of a batch: its body's bytes and when the hub (or the HTTP intake) received it.</summary>
public readonly record struct ReceivedEvent(ReadOnlyMemory<byte> Body, DateTimeOffset ReceivedAt);
