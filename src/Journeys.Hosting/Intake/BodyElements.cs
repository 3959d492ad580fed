namespace Journeys.Hosting.Intake;

/// <summary>One element of a body: its index (its position in a JSON array; its line number in NDJSON) and its raw JSON bytes.</summary>
public readonly record struct BodyElement(int Index, ReadOnlyMemory<byte> Json);

/// <summary>
/// A body cut into its elements, unparsed (what an Event Hubs batch carries, one event per message).
/// <paramref name="Count"/> is more than the reader's limit when the body holds more (then none is cut out).
/// </summary>
public sealed record BodyElements(IReadOnlyList<BodyElement> Elements, int Count);
