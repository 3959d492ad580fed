using System.Globalization;
using System.Text.Json;

namespace Journeys.Core.Audience;

/// <summary>
/// Parses and validates Segment-spec events (DESIGN §3), the one parser of every intake (serve's and the
/// dev host's HTTP routes, Event Hubs bodies, the simulator's log). Each event is judged on its own: a bad
/// one yields a reason, never an exception, so a batch keeps its valid events.
/// </summary>
/// <remarks>
/// Segment calls: <c>page</c>/<c>screen</c> become track events <c>Page Viewed</c>/<c>Screen Viewed</c> with
/// <c>name</c> (and <c>category</c>) in their properties; <c>alias</c> an identify of <c>userId</c> that merges
/// <c>previousId</c>; <c>group</c> a track event <c>Group</c> (properties <c>groupId</c>, <c>traits</c>). The profile
/// key is <c>userId</c>, else <c>anonymousId</c>; with both, <see cref="CustomerEvent.AnonymousId"/> asks the
/// runtime to merge. With a receive time (<see cref="EventReceipt"/>) a missing timestamp is the receive time
/// corrected by <c>sentAt</c> and a missing messageId is a hash of the call's bytes; without one (the
/// simulator's log) both are required. Pure: the receive time is an input.
/// </remarks>
public static class EventParser
{
    /// <summary>Events longer than this are rejected without being parsed (bounded memory on hostile input).</summary>
    public const int MaxEventBytes = 256 * 1024;

    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json) => Parse(utf8Json, null);

    /// <param name="receipt">When and with which envelope the call arrived; null when it must be complete (an event log).</param>
    public static EventParseResult Parse(ReadOnlySpan<byte> utf8Json, EventReceipt? receipt)
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
                else if (name.SequenceEqual("messageId"u8)) fields.MessageId = Text(ref reader, "messageId", ref fields.Error, intern: false);
                else if (name.SequenceEqual("userId"u8)) fields.UserId = Text(ref reader, "userId", ref fields.Error, intern: false);
                else if (name.SequenceEqual("event"u8)) fields.Event = Text(ref reader, "event", ref fields.Error);
                else if (name.SequenceEqual("timestamp"u8)) fields.Timestamp = Text(ref reader, "timestamp", ref fields.Error, intern: false);
                else if (name.SequenceEqual("properties"u8)) fields.Properties = Object(ref reader, "properties", ref fields.Error);
                else if (name.SequenceEqual("traits"u8)) fields.Traits = Object(ref reader, "traits", ref fields.Error);
                else if (name.SequenceEqual("anonymousId"u8)) fields.AnonymousId = Text(ref reader, "anonymousId", ref fields.Error, intern: false);
                else if (name.SequenceEqual("previousId"u8)) fields.PreviousId = Text(ref reader, "previousId", ref fields.Error, intern: false);
                else if (name.SequenceEqual("groupId"u8)) fields.GroupId = Text(ref reader, "groupId", ref fields.Error, intern: false);
                else if (name.SequenceEqual("name"u8)) fields.Name = Text(ref reader, "name", ref fields.Error);
                else if (name.SequenceEqual("category"u8)) fields.Category = Text(ref reader, "category", ref fields.Error);
                else if (name.SequenceEqual("originalTimestamp"u8)) fields.OriginalTimestamp = Text(ref reader, "originalTimestamp", ref fields.Error, intern: false);
                else if (name.SequenceEqual("sentAt"u8)) fields.SentAt = Text(ref reader, "sentAt", ref fields.Error, intern: false);
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
        catch (InvalidOperationException)
        {
            // a string the reader cannot decode, e.g. a lone surrogate "\ud800": bad input, not a fault
            return EventParseResult.Fail(fields.MessageId, "invalid JSON: a string holds an invalid escape (a lone UTF-16 surrogate)");
        }
        if (receipt is not null && string.IsNullOrWhiteSpace(fields.MessageId) && fields.Error is null)
        {
            fields.MessageId = ContentId(utf8Json);
        }
        return Validate(fields, receipt);
    }

    /// <summary>A call without a messageId is named by its content, so a repeat of it (an SDK's retry) dedupes.</summary>
    private static string ContentId(ReadOnlySpan<byte> utf8Json)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(utf8Json, hash);
        return "h-" + Convert.ToHexStringLower(hash[..16]);
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
        public string? AnonymousId, PreviousId, GroupId, Name, Category, OriginalTimestamp, SentAt;
        public Value Properties, Traits;
    }

    private static EventParseResult Validate(Fields f, EventReceipt? receipt)
    {
        if (string.IsNullOrWhiteSpace(f.MessageId)) return EventParseResult.Fail(null, f.Error ?? "missing required field 'messageId'");
        if (f.Error is not null) return EventParseResult.Fail(f.MessageId, f.Error);
        var eventType = EventType.Track;
        var name = f.Event;
        var properties = f.Properties.IsMissing ? CustomerEvent.EmptyObject : f.Properties;
        var traits = f.Traits.IsMissing ? CustomerEvent.EmptyObject : f.Traits;
        var userId = f.UserId;
        f.Type ??= receipt?.CallType;
        var anonymousId = f.AnonymousId;
        switch (f.Type)
        {
            case null: return EventParseResult.Fail(f.MessageId, "missing required field 'type'");
            case "track":
                if (string.IsNullOrWhiteSpace(name))
                {
                    return EventParseResult.Fail(f.MessageId, "missing required field 'event' (track events name what happened)");
                }
                break;
            case "identify": eventType = EventType.Identify; name = null; break;
            case "page": name = "Page Viewed"; properties = Named(properties, f.Name, f.Category); break;
            case "screen": name = "Screen Viewed"; properties = Named(properties, f.Name, f.Category); break;
            case "group":
                if (string.IsNullOrWhiteSpace(f.GroupId)) return EventParseResult.Fail(f.MessageId, "missing required field 'groupId' (group calls name the group)");
                name = "Group";
                properties = Value.From(new Dictionary<string, Value>(StringComparer.Ordinal) { ["groupId"] = Value.From(f.GroupId), ["traits"] = traits });
                traits = CustomerEvent.EmptyObject;
                break;
            case "alias":
                if (string.IsNullOrWhiteSpace(f.PreviousId)) return EventParseResult.Fail(f.MessageId, "missing required field 'previousId' (alias calls name the earlier id)");
                if (string.IsNullOrWhiteSpace(userId)) return EventParseResult.Fail(f.MessageId, "missing required field 'userId' (alias calls name the id that takes over)");
                // an identify of the user that merges the earlier id's profile; alias carries no traits
                eventType = EventType.Identify;
                name = null;
                anonymousId = f.PreviousId;
                traits = CustomerEvent.EmptyObject;
                break;
            default: return EventParseResult.Fail(f.MessageId, $"'type' must be track, identify, page, screen, group or alias, not \"{f.Type}\"");
        }
        if (string.IsNullOrWhiteSpace(userId))
        {
            if (string.IsNullOrWhiteSpace(anonymousId)) return EventParseResult.Fail(f.MessageId, "missing required field 'userId' (or 'anonymousId')");
            userId = anonymousId;
            anonymousId = null;
        }
        if (anonymousId == userId || string.IsNullOrWhiteSpace(anonymousId)) anonymousId = null;
        DateTimeOffset timestamp;
        if (f.Timestamp is not null)
        {
            if (!TryParseTimestamp(f.Timestamp, out timestamp))
            {
                return EventParseResult.Fail(f.MessageId, $"'timestamp' must be ISO 8601 with an offset (e.g. 2026-12-01T10:00:00Z), not \"{f.Timestamp}\"");
            }
        }
        else if (receipt is { } r)
        {
            timestamp = ReceiveTime(r, f.OriginalTimestamp, f.SentAt);
        }
        else
        {
            return EventParseResult.Fail(f.MessageId, "missing required field 'timestamp'");
        }
        return EventParseResult.Ok(new CustomerEvent(eventType, f.MessageId, userId, name, properties, traits, timestamp) { AnonymousId = anonymousId });
    }

    /// <summary>
    /// Segment's correction for a client clock: the call happened <c>sentAt - originalTimestamp</c> before it was
    /// sent, and it arrived at the receive time; without both, the receive time itself.
    /// </summary>
    private static DateTimeOffset ReceiveTime(EventReceipt receipt, string? originalTimestamp, string? sentAt)
    {
        var sent = sentAt is not null && TryParseTimestamp(sentAt, out var s) ? s : receipt.SentAt;
        if (originalTimestamp is not null && TryParseTimestamp(originalTimestamp, out var original) && sent is { } at && at >= original)
        {
            return receipt.ReceivedAt - (at - original);
        }
        return receipt.ReceivedAt;
    }

    /// <summary>page/screen: the call's <c>name</c> and <c>category</c> join its properties (the call's own win over same-named properties).</summary>
    private static Value Named(Value properties, string? name, string? category)
    {
        if (name is null && category is null) return properties;
        var merged = new Dictionary<string, Value>(properties.AsObject ?? new Dictionary<string, Value>(), StringComparer.Ordinal);
        if (name is not null) merged["name"] = Value.From(name);
        if (category is not null) merged["category"] = Value.From(category);
        return Value.From(merged);
    }

    /// <param name="intern">
    /// False for the fields that are (nearly) unique per event or per user: ids and timestamps would only fill the
    /// bounded intern table (crowding out the names it is for) and cost a failed look-up each.
    /// </param>
    private static string? Text(ref Utf8JsonReader reader, string name, ref string? error, bool intern = true)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return intern ? ValueReader.ReadString(ref reader) : reader.GetString();
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

    /// <summary>A JSON error without the reader's path noise.</summary>
    public static string Describe(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.') + (e.BytePositionInLine is { } col ? $" (at byte {col + 1})" : "");
    }
}

/// <summary>How a call arrived: its receive time (the intake's clock) and the envelope's <c>sentAt</c>, if any.</summary>
/// <remarks><paramref name="CallType"/>: the type a route implies (<c>/v1/page</c>), for a body that names none.</remarks>
public readonly record struct EventReceipt(DateTimeOffset ReceivedAt, DateTimeOffset? SentAt = null, string? CallType = null);

public readonly record struct EventParseResult(CustomerEvent? Event, string? MessageId, string? Error)
{
    public static EventParseResult Ok(CustomerEvent e) => new(e, e.MessageId, null);

    public static EventParseResult Fail(string? messageId, string error) => new(null, messageId, error);
}
