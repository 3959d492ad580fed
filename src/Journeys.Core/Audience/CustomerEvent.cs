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
    /// <summary>
    /// The anonymous id of a call that also names the user (or an alias's <c>previousId</c>): the runtime merges
    /// that profile's traits and history into <see cref="UserId"/>'s. Null for most events.
    /// </summary>
    public string? AnonymousId { get; init; }

    public static readonly Value EmptyObject = Value.From(new Dictionary<string, Value>());

    public static CustomerEvent Track(string messageId, string userId, string @event, DateTimeOffset timestamp, Value? properties = null) =>
        new(EventType.Track, messageId, userId, @event, properties ?? EmptyObject, EmptyObject, timestamp);

    public static CustomerEvent Identify(string messageId, string userId, DateTimeOffset timestamp, Value traits) =>
        new(EventType.Identify, messageId, userId, null, EmptyObject, traits, timestamp);


    /// <summary>The event as the template model's <c>event</c> object (DESIGN §4 send), built once.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<string, object?> TemplateData => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["type"] = Type == EventType.Track ? "track" : "identify",
        ["event"] = Event,
        ["messageId"] = MessageId,
        ["userId"] = UserId,
        ["timestamp"] = Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["properties"] = Properties.ToPlain(),
        ["traits"] = Traits.ToPlain(),
    };
}
