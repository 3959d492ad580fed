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

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxEventBytes)
        {
            return EventParseResult.Fail(null, $"event is larger than {MaxEventBytes} bytes");
        }
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth });
            using var document = JsonDocument.ParseValue(ref reader);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            return EventParseResult.Fail(null, $"invalid JSON: {Describe(e)}");
        }
    }

    public static EventParseResult Parse(string json) => Parse(System.Text.Encoding.UTF8.GetBytes(json));

    public static EventParseResult Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return EventParseResult.Fail(null, $"an event must be a JSON object, not {Kind(root.ValueKind)}");
        }
        var messageId = OptionalString(root, "messageId", out var error);
        if (error is not null) return EventParseResult.Fail(null, error);
        if (string.IsNullOrWhiteSpace(messageId)) return EventParseResult.Fail(null, "missing required field 'messageId'");

        var type = OptionalString(root, "type", out error);
        if (error is not null) return EventParseResult.Fail(messageId, error);
        EventType eventType;
        switch (type)
        {
            case null: return EventParseResult.Fail(messageId, "missing required field 'type'");
            case "track": eventType = EventType.Track; break;
            case "identify": eventType = EventType.Identify; break;
            default: return EventParseResult.Fail(messageId, $"'type' must be \"track\" or \"identify\", not \"{type}\"");
        }

        var userId = OptionalString(root, "userId", out error);
        if (error is not null) return EventParseResult.Fail(messageId, error);
        if (string.IsNullOrWhiteSpace(userId)) return EventParseResult.Fail(messageId, "missing required field 'userId'");

        var timestampText = OptionalString(root, "timestamp", out error);
        if (error is not null) return EventParseResult.Fail(messageId, error);
        if (timestampText is null) return EventParseResult.Fail(messageId, "missing required field 'timestamp'");
        if (!TryParseTimestamp(timestampText, out var timestamp))
        {
            return EventParseResult.Fail(messageId, $"'timestamp' must be ISO 8601 with an offset (e.g. 2026-12-01T10:00:00Z), not \"{timestampText}\"");
        }

        string? name = null;
        if (eventType == EventType.Track)
        {
            name = OptionalString(root, "event", out error);
            if (error is not null) return EventParseResult.Fail(messageId, error);
            if (string.IsNullOrWhiteSpace(name)) return EventParseResult.Fail(messageId, "missing required field 'event' (track events name what happened)");
        }

        var properties = OptionalObject(root, "properties", out error);
        if (error is not null) return EventParseResult.Fail(messageId, error);
        var traits = OptionalObject(root, "traits", out error);
        if (error is not null) return EventParseResult.Fail(messageId, error);

        return EventParseResult.Ok(new CustomerEvent(eventType, messageId, userId, name, properties, traits, timestamp));
    }

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

    private static string? OptionalString(JsonElement root, string name, out string? error)
    {
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            error = $"'{name}' must be a string, not {Kind(element.ValueKind)}";
            return null;
        }
        return element.GetString();
    }

    private static Value OptionalObject(JsonElement root, string name, out string? error)
    {
        error = null;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return CustomerEvent.EmptyObject;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"'{name}' must be an object, not {Kind(element.ValueKind)}";
            return default;
        }
        return Value.FromJson(element);
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
