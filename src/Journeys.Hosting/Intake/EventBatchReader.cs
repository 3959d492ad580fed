using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Hosting.Intake;

/// <summary>An event of a batch that was not taken, by its position in the batch.</summary>
public sealed record RejectedEvent(int Index, string? MessageId, string Error);

/// <summary>A request body read into events: the valid ones, and the reason for each other one.</summary>
public sealed record EventBatch(IReadOnlyList<CustomerEvent> Events, IReadOnlyList<RejectedEvent> Rejected, int Count);

/// <summary>
/// Reads <c>POST /v1/events</c> bodies: one JSON event, a JSON array of events, or NDJSON (one per
/// line). Each element is parsed on its own by the engine's event parser, so one bad event is named
/// by index and the rest go on; only a body that is not JSON at all is refused whole.
/// </summary>
public static class EventBatchReader
{
    /// <returns>The batch, or the reason the body is not JSON.</returns>
    public static (EventBatch? Batch, string? NotJson) Read(ReadOnlyMemory<byte> body, bool ndjson, int maxEvents)
    {
        return ndjson ? ReadLines(body, maxEvents) : ReadJson(body, maxEvents);
    }

    private static (EventBatch?, string?) ReadJson(ReadOnlyMemory<byte> body, int maxEvents)
    {
        var span = body.Span;
        var reader = new Utf8JsonReader(span, new JsonReaderOptions { MaxDepth = 64 });
        var events = new List<CustomerEvent>();
        var rejected = new List<RejectedEvent>();
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
                Add(span, events, rejected, 0);
                return (new EventBatch(events, rejected, 1), null);
            }
            var index = 0;
            var elements = new List<(int Start, int Length)>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                elements.Add((start, (int)reader.BytesConsumed - start));
                index++;
                if (index > maxEvents)
                {
                    return (new EventBatch([], [], index), null);
                }
            }
            EnsureEnd(ref reader);
            for (var i = 0; i < elements.Count; i++)
            {
                Add(span.Slice(elements[i].Start, elements[i].Length), events, rejected, i);
            }
            return (new EventBatch(events, rejected, elements.Count), null);
        }
        catch (JsonException e)
        {
            return (null, $"the body is not JSON: {e.Message}");
        }
    }

    private static void EnsureEnd(ref Utf8JsonReader reader)
    {
        if (reader.Read())
        {
            throw new JsonException($"unexpected content after the JSON value at byte {reader.TokenStartIndex}");
        }
    }

    private static (EventBatch?, string?) ReadLines(ReadOnlyMemory<byte> body, int maxEvents)
    {
        var span = body.Span;
        var events = new List<CustomerEvent>();
        var rejected = new List<RejectedEvent>();
        var index = 0;
        while (!span.IsEmpty)
        {
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
            if (line.Trim((byte)' ').IsEmpty) continue;
            if (index >= maxEvents)
            {
                return (new EventBatch([], [], index + 1), null);
            }
            Add(line, events, rejected, index++);
        }
        return (new EventBatch(events, rejected, index), null);
    }

    private static void Add(ReadOnlySpan<byte> json, List<CustomerEvent> events, List<RejectedEvent> rejected, int index)
    {
        var parsed = EventParser.Parse(json);
        if (parsed.Event is { } e)
        {
            events.Add(e);
        }
        else
        {
            rejected.Add(new RejectedEvent(index, parsed.MessageId, parsed.Error ?? "not an event"));
        }
    }
}
