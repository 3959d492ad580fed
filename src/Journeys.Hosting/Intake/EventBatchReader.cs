using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Hosting.Intake;

/// <summary>An event of a batch that was not taken, by its position in the batch (its line number in NDJSON).</summary>
public sealed record RejectedEvent(int Index, string? MessageId, string Error);

/// <summary>A request body read into events: the valid ones, the reason for each other one, and each rejected one's raw bytes.</summary>
public sealed record EventBatch(IReadOnlyList<CustomerEvent> Events, IReadOnlyList<RejectedEvent> Rejected, int Count)
{
    /// <summary>The raw bytes of each rejected event, in <see cref="Rejected"/>'s order (for the rejected-events store).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> RejectedBodies { get; init; } = [];
}

/// <summary>
/// Reads intake bodies: one JSON event, a JSON array of events, NDJSON (one per line), or a Segment batch
/// envelope. <see cref="Split"/> cuts a body into its elements with their indexes; each element is then parsed
/// on its own by the engine's event parser, so one bad event is named by index and the rest go on; only a body
/// that is not JSON at all is refused whole.
/// </summary>
public static class EventBatchReader
{
    /// <summary>
    /// The body's own nesting allowance: deep enough that one event nested past the parser's limit is that
    /// event's rejection, not the body's (the reader's depth stack costs a bit per level).
    /// </summary>
    private const int MaxBodyDepth = 4096;

    /// <returns>The batch, or the reason the body is not JSON.</returns>
    public static (EventBatch? Batch, string? NotJson) Read(ReadOnlyMemory<byte> body, bool ndjson, int maxEvents, EventReceipt? receipt = null)
    {
        var (elements, notJson) = Split(body, ndjson, maxEvents);
        return elements is null ? (null, notJson) : (Parse(elements, maxEvents, receipt), null);
    }

    /// <summary>
    /// The body's elements, unparsed: a UTF-8 BOM skipped; one JSON value is one element (index 0), a JSON array's
    /// elements are indexed by position, NDJSON lines by line number (blank lines skipped, CR LF allowed). At most
    /// <paramref name="maxEvents"/> are cut out; <see cref="BodyElements.Count"/> says when there are more.
    /// </summary>
    /// <returns>The elements, or the reason the body is not JSON.</returns>
    public static (BodyElements? Elements, string? NotJson) Split(ReadOnlyMemory<byte> body, bool ndjson, int maxEvents)
    {
        body = WithoutBom(body);
        return ndjson ? (Lines(body, maxEvents), null) : Json(body, maxEvents);
    }

    /// <summary>Parses each element with the engine's parser (<paramref name="receipt"/>: the receive time of calls without a timestamp).</summary>
    public static EventBatch Parse(BodyElements body, int maxEvents, EventReceipt? receipt)
    {
        if (body.Count > maxEvents)
        {
            return new EventBatch([], [], body.Count);
        }
        var events = new List<CustomerEvent>(body.Elements.Count);
        var rejected = new List<RejectedEvent>();
        var bodies = new List<ReadOnlyMemory<byte>>();
        foreach (var element in body.Elements)
        {
            var parsed = EventParser.Parse(element.Json.Span, receipt);
            if (parsed.Event is { } e)
            {
                events.Add(e);
            }
            else
            {
                rejected.Add(new RejectedEvent(element.Index, parsed.MessageId, parsed.Error ?? "not an event"));
                bodies.Add(element.Json);
            }
        }
        return new EventBatch(events, rejected, body.Count) { RejectedBodies = bodies };
    }

    /// <summary>
    /// A Segment <c>/v1/batch</c> body: <c>{"batch":[...], "sentAt"?, "context"?, "writeKey"?}</c>. The envelope's
    /// <c>sentAt</c> corrects the events' receive times; its <c>writeKey</c> is returned for authentication.
    /// </summary>
    public static (EventBatch? Batch, string? WriteKey, string? NotJson) ReadEnvelope(ReadOnlyMemory<byte> body, int maxEvents, DateTimeOffset receivedAt)
    {
        body = WithoutBom(body);
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = MaxBodyDepth });
        var elements = new List<BodyElement>();
        string? writeKey = null;
        DateTimeOffset? sentAt = null;
        var hasBatch = false;
        try
        {
            if (!reader.Read()) return (null, null, "the body is empty");
            if (reader.TokenType != JsonTokenType.StartObject) return (null, null, "a batch is an object: {\"batch\": [...]}");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("batch"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    hasBatch = true;
                    if (ArrayElements(ref reader, body, elements, maxEvents) is { } over) return (new EventBatch([], [], over), writeKey, null);
                }
                else if (name.SequenceEqual("writeKey"u8) && reader.TokenType == JsonTokenType.String) writeKey = reader.GetString();
                else if (name.SequenceEqual("sentAt"u8) && reader.TokenType == JsonTokenType.String
                         && EventParser.TryParseTimestamp(reader.GetString()!, out var s)) sentAt = s;
                else reader.Skip();
            }
            EnsureEnd(ref reader);
        }
        catch (JsonException e)
        {
            return (null, null, $"the body is not JSON: {EventParser.Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            return (null, null, "the body is not JSON: a string holds an invalid escape");
        }
        if (!hasBatch) return (null, writeKey, "a batch body needs \"batch\": an array of calls");
        return (Parse(new BodyElements(elements, elements.Count), maxEvents, new EventReceipt(receivedAt, sentAt)), writeKey, null);
    }

    private static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;

    private static (BodyElements?, string?) Json(ReadOnlyMemory<byte> body, int maxEvents)
    {
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = MaxBodyDepth });
        try
        {
            if (!reader.Read())
            {
                return (null, "the body is empty");
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                EnsureEnd(ref reader);
                return (new BodyElements([new BodyElement(0, body)], 1), null);
            }
            var elements = new List<BodyElement>();
            if (ArrayElements(ref reader, body, elements, maxEvents) is { } over)
            {
                return (new BodyElements([], over), null);
            }
            EnsureEnd(ref reader);
            return (new BodyElements(elements, elements.Count), null);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {EventParser.Describe(e)}");
        }
    }

    /// <summary>The elements of the array the reader is at the start of, indexed by position.</summary>
    /// <returns>Null; or, once there are more than <paramref name="maxEvents"/>, how many were seen.</returns>
    private static int? ArrayElements(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, List<BodyElement> elements, int maxEvents)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            elements.Add(new BodyElement(elements.Count, body[start..(int)reader.BytesConsumed]));
            if (elements.Count > maxEvents)
            {
                return elements.Count;
            }
        }
        return null;
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"unexpected content after the JSON value at byte {reader.TokenStartIndex}");
        }
    }

    /// <summary>NDJSON: each element is named by its line number, as an editor shows it.</summary>
    private static BodyElements Lines(ReadOnlyMemory<byte> body, int maxEvents)
    {
        var span = body.Span;
        var elements = new List<BodyElement>();
        var offset = 0;
        var lineNo = 0;
        while (offset < span.Length)
        {
            lineNo++;
            var end = span[offset..].IndexOf((byte)'\n');
            var length = end < 0 ? span.Length - offset : end;
            var start = offset;
            offset += length + 1;
            if (length > 0 && span[start + length - 1] == '\r') length--;
            if (span.Slice(start, length).Trim((byte)' ').IsEmpty) continue;
            if (elements.Count >= maxEvents)
            {
                return new BodyElements([], elements.Count + 1);
            }
            elements.Add(new BodyElement(lineNo, body.Slice(start, length)));
        }
        return new BodyElements(elements, elements.Count);
    }
}
