using Azure.Messaging.EventHubs;
using Journeys.Core.Audience;

namespace Journeys.Functions.Tests;

/// <summary>
/// An app publishing Segment calls to Event Hubs: the bytes of its <see cref="EventData"/> bodies, as the trigger hands
/// them over, go through the same Core parser as serve's SDK routes (page/screen, anonymousId, no timestamp or messageId).
/// </summary>
public sealed class EventHubsBodyParsingTests
{
    private static readonly DateTimeOffset Enqueued = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static EventParseResult Through(EventData data) => EventParser.Parse(data.EventBody.ToArray(), new EventReceipt(Enqueued));

    [Fact]
    public void Segment_calls_sent_as_event_data_bodies_parse_as_on_the_http_routes()
    {
        var page = Through(new EventData(BinaryData.FromString("""{"type":"page","anonymousId":"a-1","name":"Discounts"}"""))).Event!;
        Assert.Equal(("Page Viewed", "a-1", "Discounts", Enqueued), (page.Event, page.UserId, page.Properties["name"].AsString, page.Timestamp));
        Assert.StartsWith("h-", page.MessageId, StringComparison.Ordinal);

        var login = Through(new EventData(BinaryData.FromObjectAsJson(new { type = "track", userId = "ann", anonymousId = "a-1", @event = "Login", messageId = "m-1" }))).Event!;
        Assert.Equal(("ann", "a-1"), (login.UserId, login.AnonymousId));

        var bad = Through(new EventData(BinaryData.FromString("""{"type":"track","userId":"u","event":"\ud800"}""")));
        Assert.Null(bad.Event);
        Assert.Contains("surrogate", bad.Error, StringComparison.Ordinal);
    }
}
