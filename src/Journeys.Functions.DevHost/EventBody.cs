using System.Text;
using System.Text.Json;

namespace Journeys.Functions.DevHost;

/// <summary>
/// A <c>POST /v1/events</c> body (one JSON event, a JSON array, or NDJSON, as <c>serve</c> takes them) cut into
/// each event's raw JSON text: what an Event Hubs batch carries, one event per message. Parsing and validating
/// each one is the ingestion handler's job, as on Event Hubs.
/// </summary>
public static class EventBody
{
    /// <returns>The events' texts, or why the body is not JSON.</returns>
    public static (IReadOnlyList<string>? Events, string? NotJson) Split(ReadOnlySpan<byte> body, bool ndjson) =>
        ndjson ? (Lines(body), null) : Json(body);

    private static (IReadOnlyList<string>?, string?) Json(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        var events = new List<string>();
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
                events.Add(Encoding.UTF8.GetString(body).Trim());
                return (events, null);
            }
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                events.Add(Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]));
            }
            EnsureEnd(ref reader);
            return (events, null);
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

    private static List<string> Lines(ReadOnlySpan<byte> body)
    {
        var events = new List<string>();
        while (!body.IsEmpty)
        {
            var end = body.IndexOf((byte)'\n');
            var line = end < 0 ? body : body[..end];
            body = end < 0 ? [] : body[(end + 1)..];
            line = line.Trim("\r "u8);
            if (!line.IsEmpty)
            {
                events.Add(Encoding.UTF8.GetString(line));
            }
        }
        return events;
    }
}
