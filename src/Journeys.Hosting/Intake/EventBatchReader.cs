using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Hosting.Intake;

/// <summary>An event of a batch that was not taken, by its position in the batch (its line number in NDJSON).</summary>
public sealed record RejectedEvent(int Index, string? MessageId, string Error);

/// <summary>A request body read into events: the valid ones, the reason for each other one, and where each rejected one lies in the body.</summary>
public sealed record EventBatch(IReadOnlyList<CustomerEvent> Events, IReadOnlyList<RejectedEvent> Rejected, int Count)
{
    /// <summary>The byte range of each rejected event in the body, in <see cref="Rejected"/>'s order (for the rejected-events store).</summary>
    public IReadOnlyList<Range> RejectedRanges { get; init; } = [];
}

/// <summary>
/// Reads intake bodies: one JSON event, a JSON array of events, NDJSON (one per line), or a Segment batch
/// envelope. Each element is parsed on its own by the engine's event parser, so one bad event is named by
/// index and the rest go on; only a body that is not JSON at all is refused whole.
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
        body = WithoutBom(body);
        return ndjson ? ReadLines(body, maxEvents, receipt) : ReadJson(body, maxEvents, receipt);
    }

    /// <summary>
    /// A Segment <c>/v1/batch</c> body: <c>{"batch":[...], "sentAt"?, "context"?, "writeKey"?}</c>. The envelope's
    /// <c>sentAt</c> corrects the events' receive times; its <c>writeKey</c> is returned for authentication.
    /// </summary>
    public static (EventBatch? Batch, string? WriteKey, string? NotJson) ReadEnvelope(ReadOnlyMemory<byte> body, int maxEvents, DateTimeOffset receivedAt)
    {
        body = WithoutBom(body);
        var span = body.Span;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = MaxBodyDepth });
        var elements = new List<(int Start, int Length)>();
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
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        elements.Add((start, (int)reader.BytesConsumed - start));
                        if (elements.Count > maxEvents) return (new EventBatch([], [], elements.Count), writeKey, null);
                    }
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
        var batch = Parse(span, elements, new EventReceipt(receivedAt, sentAt));
        return (batch, writeKey, null);
    }

    private static ReadOnlyMemory<byte> WithoutBom(ReadOnlyMemory<byte> body) =>
        body.Span.StartsWith("\uFEFF"u8) ? body[3..] : body;

    private static (EventBatch?, string?) ReadJson(ReadOnlyMemory<byte> body, int maxEvents, EventReceipt? receipt)
    {
        var span = body.Span;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = MaxBodyDepth });
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
                return (Parse(span, [(0, span.Length)], receipt), null);
            }
            var elements = new List<(int Start, int Length)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add((start, (int)reader.BytesConsumed - start));
                if (elements.Count > maxEvents)
                {
                    return (new EventBatch([], [], elements.Count), null);
                }
            }
            EnsureEnd(ref reader);
            return (Parse(span, elements, receipt), null);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {EventParser.Describe(e)}");
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"unexpected content after the JSON value at byte {reader.TokenStartIndex}");
        }
    }

    private static (EventBatch?, string?) ReadLines(ReadOnlyMemory<byte> body, int maxEvents, EventReceipt? receipt)
    {
        var span = body.Span;
        var elements = new List<(int Start, int Length)>();
        var lines = new List<int>();
        var offset = 0;
        var lineNo = 0;
        while (offset < span.Length)
        {
            lineNo++;
            var end = span[offset..].IndexOf((byte)'\n');
            var length = end < 0 ? span.Length - offset : end;
            var line = span.Slice(offset, length);
            var start = offset;
            offset += length + 1;
            if (line.Length > 0 && line[^1] == '\r') length--;
            if (span.Slice(start, length).Trim((byte)' ').IsEmpty) continue;
            if (elements.Count >= maxEvents)
            {
                return (new EventBatch([], [], elements.Count + 1), null);
            }
            elements.Add((start, length));
            lines.Add(lineNo);
        }
        var batch = Parse(span, elements, receipt);
        // an NDJSON rejection is named by its line number, as an editor shows it
        return (batch with { Rejected = batch.Rejected.Select(r => r with { Index = lines[r.Index] }).ToList() }, null);
    }

    private static EventBatch Parse(ReadOnlySpan<byte> body, List<(int Start, int Length)> elements, EventReceipt? receipt)
    {
        var events = new List<CustomerEvent>(elements.Count);
        var rejected = new List<RejectedEvent>();
        var ranges = new List<Range>();
        for (var i = 0; i < elements.Count; i++)
        {
            var (start, length) = elements[i];
            var parsed = EventParser.Parse(body.Slice(start, length), receipt);
            if (parsed.Event is { } e)
            {
                events.Add(e);
            }
            else
            {
                rejected.Add(new RejectedEvent(i, parsed.MessageId, parsed.Error ?? "not an event"));
                ranges.Add(new Range(start, start + length));
            }
        }
        return new EventBatch(events, rejected, elements.Count) { RejectedRanges = ranges };
    }
}
