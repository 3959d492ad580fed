namespace Journeys.Core.Audience;

public enum EventType { Track, Identify }

/// <summary>
/// One Segment-spec event (DESIGN §3). <see cref="Properties"/> is always an object for track
/// events and <see cref="Traits"/> always an object for identify calls (empty when absent).
/// </summary>
public sealed record CustomerEvent(
    EventType Type,
    string MessageId,
    string UserId,
    string? Event,
    Value Properties,
    Value Traits,
    DateTimeOffset Timestamp)
{
    public static readonly Value EmptyObject = Value.From(new Dictionary<string, Value>());

    public static CustomerEvent Track(string messageId, string userId, string @event, DateTimeOffset timestamp, Value? properties = null) =>
        new(EventType.Track, messageId, userId, @event, properties ?? EmptyObject, EmptyObject, timestamp);

    public static CustomerEvent Identify(string messageId, string userId, DateTimeOffset timestamp, Value traits) =>
        new(EventType.Identify, messageId, userId, null, EmptyObject, traits, timestamp);

    /// <summary>The event as the template model's <c>event</c> object (DESIGN §4 send).</summary>
    public Value ToTemplateValue() => Value.From(new Dictionary<string, Value>
    {
        ["type"] = Value.From(Type == EventType.Track ? "track" : "identify"),
        ["event"] = Event is null ? Value.Null : Value.From(Event),
        ["messageId"] = Value.From(MessageId),
        ["userId"] = Value.From(UserId),
        ["timestamp"] = Value.From(Timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", System.Globalization.CultureInfo.InvariantCulture)),
        ["properties"] = Properties,
        ["traits"] = Traits,
    });
}
