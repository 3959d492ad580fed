using Journeys.Core.Audience;

namespace Journeys.Core.Tests.Audience;

/// <summary>The Segment call types and the receive-time rules of DESIGN §3, in the one parser.</summary>
public sealed class SegmentCallParsingTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static CustomerEvent Parse(string json, DateTimeOffset? sentAt = null, string? call = null)
    {
        var result = EventParser.Parse(System.Text.Encoding.UTF8.GetBytes(json), new EventReceipt(Received, sentAt, call));
        Assert.True(result.Event is not null, result.Error);
        return result.Event!;
    }

    [Fact]
    public void Page_and_screen_are_track_events_with_name_and_category_in_properties()
    {
        var page = Parse("""{"type":"page","userId":"u","messageId":"m","name":"Discounts","category":"Shop","properties":{"path":"/d"}}""");
        Assert.Equal(EventType.Track, page.Type);
        Assert.Equal("Page Viewed", page.Event);
        Assert.Equal("Discounts", page.Properties["name"].AsString);
        Assert.Equal("Shop", page.Properties["category"].AsString);
        Assert.Equal("/d", page.Properties["path"].AsString);
        Assert.Equal("Screen Viewed", Parse("""{"userId":"u","messageId":"m","name":"Home"}""", call: "screen").Event);
    }

    [Fact]
    public void The_profile_key_is_user_id_else_anonymous_id_and_both_ask_for_a_merge()
    {
        var anonymous = Parse("""{"type":"track","anonymousId":"a-1","event":"E","messageId":"m"}""");
        Assert.Equal("a-1", anonymous.UserId);
        Assert.Null(anonymous.AnonymousId);
        var both = Parse("""{"type":"track","anonymousId":"a-1","userId":"u","event":"E","messageId":"m"}""");
        Assert.Equal(("u", "a-1"), (both.UserId, both.AnonymousId));
        var alias = Parse("""{"type":"alias","previousId":"a-1","userId":"u","messageId":"m"}""");
        Assert.Equal((EventType.Identify, "u", "a-1"), (alias.Type, alias.UserId, alias.AnonymousId));
        var group = Parse("""{"type":"group","userId":"u","groupId":"acme","traits":{"plan":"pro"},"messageId":"m"}""");
        Assert.Equal(("Group", "acme"), (group.Event, group.Properties["groupId"].AsString));
    }

    [Fact]
    public void A_missing_timestamp_is_the_receive_time_corrected_by_sent_at_and_a_missing_message_id_a_content_hash()
    {
        var plain = Parse("""{"type":"track","userId":"u","event":"E"}""");
        Assert.Equal(Received, plain.Timestamp);
        Assert.StartsWith("h-", plain.MessageId, StringComparison.Ordinal);
        Assert.Equal(plain.MessageId, Parse("""{"type":"track","userId":"u","event":"E"}""").MessageId);
        Assert.NotEqual(plain.MessageId, Parse("""{"type":"track","userId":"u","event":"F"}""").MessageId);
        // made 30 s before it was sent (client clock), arrived at Received: it happened 30 s before Received
        var corrected = Parse("""{"type":"track","userId":"u","event":"E","originalTimestamp":"2020-01-01T00:00:00Z"}""", sentAt: DateTimeOffset.Parse("2020-01-01T00:00:30Z"));
        Assert.Equal(Received.AddSeconds(-30), corrected.Timestamp);
        // without a receipt (an event log) both stay required
        Assert.NotNull(EventParser.Parse("""{"type":"track","userId":"u","event":"E","messageId":"m"}""").Error);
    }

    [Fact]
    public void A_lone_surrogate_is_that_events_rejection_not_an_exception()
    {
        var result = EventParser.Parse("""{"type":"track","userId":"u","event":"\ud800","messageId":"m","timestamp":"2026-12-01T10:00:00Z"}""");
        Assert.Null(result.Event);
        Assert.Contains("surrogate", result.Error, StringComparison.Ordinal);
    }
}
