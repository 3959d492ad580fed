using System.Globalization;
using System.Text.Json;

namespace Journeys.Core.Audience;

/// <summary>
/// Parses and validates Segment-spec events (DESIGN §3). Each event is judged on its own: a bad one
/// yields a reason, never an exception, so a batch keeps its valid events.
/// </summary>
public static class EventParser
{
    /// <summary>Events longer than this are rejected without being parsed (bounded memory on hostile input).</summary>
    public const int MaxEventBytes = 256 * 1024;

    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxEventBytes)
        {
            return EventParseResult.Fail(null, $"event is larger than {MaxEventBytes} bytes");
        }
        var fields = new Fields();
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = MaxDepth });
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return EventParseResult.Fail(null, $"an event must be a JSON object, not {Kind(reader.TokenType)}");
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("type"u8)) fields.Type = Text(ref reader, "type", ref fields.Error);
                else if (name.SequenceEqual("messageId"u8)) fields.MessageId = Text(ref reader, "messageId", ref fields.Error);
                else if (name.SequenceEqual("userId"u8)) fields.UserId = Text(ref reader, "userId", ref fields.Error);
                else if (name.SequenceEqual("event"u8)) fields.Event = Text(ref reader, "event", ref fields.Error);
                else if (name.SequenceEqual("timestamp"u8)) fields.Timestamp = Text(ref reader, "timestamp", ref fields.Error);
                else if (name.SequenceEqual("properties"u8)) fields.Properties = Object(ref reader, "properties", ref fields.Error);
                else if (name.SequenceEqual("traits"u8)) fields.Traits = Object(ref reader, "traits", ref fields.Error);
                else reader.Skip();
            }
            if (reader.Read())
            {
                return EventParseResult.Fail(fields.MessageId, "invalid JSON: more than one value");
            }
        }
        catch (JsonException e)
        {
            return EventParseResult.Fail(fields.MessageId, $"invalid JSON: {Describe(e)}");
        }
        return Validate(fields);
    }

    public static EventParseResult Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    public static EventParseResult Parse(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? Parse(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element))
            : EventParseResult.Fail(null, $"an event must be a JSON object, not {Kind(element.ValueKind)}");

    private const int MaxDepth = 32;

    /// <summary>The top-level fields as read, before validation.</summary>
    private struct Fields
    {
        public string? Type, MessageId, UserId, Event, Timestamp, Error;
        public Value Properties, Traits;
    }

    private static EventParseResult Validate(Fields f)
    {
        if (string.IsNullOrWhiteSpace(f.MessageId)) return EventParseResult.Fail(null, f.Error ?? "missing required field 'messageId'");
        if (f.Error is not null) return EventParseResult.Fail(f.MessageId, f.Error);
        EventType eventType;
        switch (f.Type)
        {
            case null: return EventParseResult.Fail(f.MessageId, "missing required field 'type'");
            case "track": eventType = EventType.Track; break;
            case "identify": eventType = EventType.Identify; break;
            default: return EventParseResult.Fail(f.MessageId, $"'type' must be \"track\" or \"identify\", not \"{f.Type}\"");
        }
        if (string.IsNullOrWhiteSpace(f.UserId)) return EventParseResult.Fail(f.MessageId, "missing required field 'userId'");
        if (f.Timestamp is null) return EventParseResult.Fail(f.MessageId, "missing required field 'timestamp'");
        if (!TryParseTimestamp(f.Timestamp, out var timestamp))
        {
            return EventParseResult.Fail(f.MessageId, $"'timestamp' must be ISO 8601 with an offset (e.g. 2026-12-01T10:00:00Z), not \"{f.Timestamp}\"");
        }
        if (eventType == EventType.Track && string.IsNullOrWhiteSpace(f.Event))
        {
            return EventParseResult.Fail(f.MessageId, "missing required field 'event' (track events name what happened)");
        }
        var properties = f.Properties.IsMissing ? CustomerEvent.EmptyObject : f.Properties;
        var traits = f.Traits.IsMissing ? CustomerEvent.EmptyObject : f.Traits;
        return EventParseResult.Ok(new CustomerEvent(eventType, f.MessageId, f.UserId, eventType == EventType.Track ? f.Event : null, properties, traits, timestamp));
    }

    private static string? Text(ref Utf8JsonReader reader, string name, ref string? error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return ValueReader.ReadString(ref reader);
            case JsonTokenType.Null:
                return null;
            default:
                error ??= $"'{name}' must be a string, not {Kind(reader.TokenType)}";
                reader.Skip();
                return null;
        }
    }

    private static Value Object(ref Utf8JsonReader reader, string name, ref string? error)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ValueReader.Read(ref reader);
            case JsonTokenType.Null:
                return default;
            default:
                error ??= $"'{name}' must be an object, not {Kind(reader.TokenType)}";
                reader.Skip();
                return default;
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    /// <summary>ISO 8601 with an explicit offset (<c>Z</c> or <c>±hh:mm</c>): a bare local time is ambiguous.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset timestamp)
    {
        timestamp = default;
        var t = text.AsSpan().Trim();
        var timeAt = t.IndexOf('T');
        if (timeAt < 0) timeAt = t.IndexOf('t');
        if (timeAt < 8)
        {
            return false;
        }
        var time = t[timeAt..];
        var hasOffset = time.EndsWith("Z", StringComparison.OrdinalIgnoreCase) || time.LastIndexOfAny('+', '-') > 0;
        return hasOffset && DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.None, out timestamp);
    }

    internal static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    internal static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.') + (e.BytePositionInLine is { } col ? $" (at byte {col + 1})" : "");
    }
}

public readonly record struct EventParseResult(CustomerEvent? Event, string? MessageId, string? Error)
{
    public static EventParseResult Ok(CustomerEvent e) => new(e, e.MessageId, null);

    public static EventParseResult Fail(string? messageId, string error) => new(null, messageId, error);
}
