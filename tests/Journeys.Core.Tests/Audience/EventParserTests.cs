using System.Text;
using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Core.Tests.Audience;

/// <summary>Segment-spec events (DESIGN §3): required fields, timestamps with offsets, rejection reasons, profiles.</summary>
public class EventParserTests
{
    private const string Track = """{"type":"track","messageId":"m-1","userId":"u-1","event":"Purchase","properties":{"price":120,"sku":"TOP-7"},"timestamp":"2026-12-01T10:00:00Z"}""";

    private const string Identify = """{"type":"identify","messageId":"m-2","userId":"u-1","traits":{"email":"beth@example.com","phone":"+15550100","timezone":"America/New_York","firstName":"Beth","loyaltyTier":"gold","consent":{"sms":true}},"timestamp":"2026-12-01T09:00:00Z"}""";

    private static Value Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Value.FromJson(document.RootElement);
    }

    /// <summary>The track example with one field removed, replaced or added (null = removed).</summary>
    private static string TrackWith(string field, string? rawValue)
    {
        using var document = JsonDocument.Parse(Track);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            var written = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name != field)
                {
                    property.WriteTo(writer);
                }
                else if (rawValue is not null)
                {
                    writer.WritePropertyName(field);
                    writer.WriteRawValue(rawValue);
                    written = true;
                }
            }
            if (!written && rawValue is not null)
            {
                writer.WritePropertyName(field);
                writer.WriteRawValue(rawValue);
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Rejected(string json)
    {
        var result = EventParser.Parse(json);
        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Error), "a rejected event needs a reason");
        return result.Error!;
    }

    // ---- valid events ----

    [Fact]
    public void ParsesTheTrackExample()
    {
        var result = EventParser.Parse(Track);
        Assert.Null(result.Error);
        var e = Assert.IsType<CustomerEvent>(result.Event);
        Assert.Equal(EventType.Track, e.Type);
        Assert.Equal("m-1", e.MessageId);
        Assert.Equal("m-1", result.MessageId);
        Assert.Equal("u-1", e.UserId);
        Assert.Equal("Purchase", e.Event);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal(ValueKind.Number, e.Properties["price"].Kind);
        Assert.Equal(120d, e.Properties["price"].AsNumber);
        Assert.Equal("TOP-7", e.Properties["sku"].AsString);
    }

    [Fact]
    public void ParsesTheIdentifyExample()
    {
        var result = EventParser.Parse(Identify);
        Assert.Null(result.Error);
        var e = Assert.IsType<CustomerEvent>(result.Event);
        Assert.Equal(EventType.Identify, e.Type);
        Assert.Equal("m-2", e.MessageId);
        Assert.Equal("u-1", e.UserId);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero), e.Timestamp);
        Assert.Equal("beth@example.com", e.Traits["email"].AsString);
        Assert.Equal("America/New_York", e.Traits["timezone"].AsString);
        Assert.Equal(ValueKind.True, e.Traits["consent"]["sms"].Kind);
    }

    [Fact]
    public void IdentifyNeedsNoEventName()
    {
        var result = EventParser.Parse("""{"type":"identify","messageId":"m","userId":"u","timestamp":"2026-12-01T09:00:00Z"}""");
        Assert.Null(result.Error);
        Assert.NotNull(result.Event);
    }

    [Fact]
    public void TrackWithoutPropertiesIsValid()
    {
        var e = EventParser.Parse(TrackWith("properties", null)).Event;
        Assert.NotNull(e);
        Assert.True(e.Properties["price"].IsMissing);
    }

    [Fact]
    public void ParsesUtf8Bytes()
    {
        var result = EventParser.Parse(Encoding.UTF8.GetBytes(Track));
        Assert.Null(result.Error);
        Assert.Equal("Purchase", result.Event?.Event);
    }

    [Theory]
    [InlineData("2026-12-01T10:00:00Z", 10, 0)]
    [InlineData("2026-12-01T12:00:00+02:00", 10, 0)]
    [InlineData("2026-12-01T05:00:00-05:00", 10, 0)]
    [InlineData("2026-12-01T10:00:00.250Z", 10, 250)]
    [InlineData("2026-12-01T10:00:00.250+00:00", 10, 250)]
    public void TimestampsWithAnOffsetAreTheSameInstant(string timestamp, int hourUtc, int milliseconds)
    {
        var e = EventParser.Parse(TrackWith("timestamp", $"\"{timestamp}\"")).Event;
        Assert.NotNull(e);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, hourUtc, 0, 0, milliseconds, TimeSpan.Zero), e.Timestamp);
    }

    // ---- rejections ----

    [Theory]
    [InlineData("type")]
    [InlineData("messageId")]
    [InlineData("userId")]
    [InlineData("timestamp")]
    [InlineData("event")]
    public void EachMissingRequiredFieldIsNamed(string field)
    {
        Assert.Contains(field, Rejected(TrackWith(field, null)), StringComparison.Ordinal);
        Assert.Contains(field, Rejected(TrackWith(field, "null")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("messageId")]
    [InlineData("userId")]
    [InlineData("event")]
    public void EmptyRequiredStringsAreMissing(string field)
    {
        Assert.Contains(field, Rejected(TrackWith(field, "\"\"")), StringComparison.Ordinal);
    }

    [Fact]
    public void ARejectedEventKeepsItsMessageId()
    {
        // the HTTP response lists rejected events by index and messageId
        var result = EventParser.Parse(TrackWith("userId", null));
        Assert.Null(result.Event);
        Assert.Equal("m-1", result.MessageId);
    }

    [Theory]
    [InlineData("2026-12-01T10:00:00")] // no offset: a local time is ambiguous
    [InlineData("2026-12-01T10:00:00.000")]
    [InlineData("2026-12-01")]
    [InlineData("yesterday")]
    [InlineData("2026-13-01T10:00:00Z")]
    [InlineData("")]
    public void TimestampWithoutAnOffsetOrNotADateIsRejected(string timestamp)
    {
        Assert.Contains("timestamp", Rejected(TrackWith("timestamp", $"\"{timestamp}\"")), StringComparison.Ordinal);
    }

    [Fact]
    public void TimestampAsANumberIsRejected()
    {
        Assert.Contains("timestamp", Rejected(TrackWith("timestamp", "1764583200")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("properties", "[1,2]")]
    [InlineData("properties", "\"price=120\"")]
    [InlineData("properties", "42")]
    [InlineData("traits", "[]")]
    [InlineData("traits", "true")]
    [InlineData("userId", "12345")]
    [InlineData("userId", "{\"id\":1}")]
    [InlineData("messageId", "7")]
    [InlineData("event", "[\"Purchase\"]")]
    [InlineData("type", "1")]
    public void WrongTypesAreRejectedNamingTheField(string field, string rawValue)
    {
        Assert.Contains(field, Rejected(TrackWith(field, rawValue)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pageview")]
    [InlineData("Track")]
    [InlineData("")]
    public void UnknownTypeIsRejected(string type)
    {
        Assert.Contains("type", Rejected(TrackWith("type", $"\"{type}\"")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"type":"track"}]""")]
    [InlineData("\"track\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void NonObjectJsonIsRejected(string json) => Rejected(json);

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"type":"track",}x""")]
    [InlineData("""{"type":'track'}""")]
    [InlineData("not json at all")]
    [InlineData("""{"type":"track","messageId":"m-1" "userId":"u-1"}""")]
    public void InvalidJsonIsRejectedNotThrown(string json)
    {
        var result = EventParser.Parse(json);
        Assert.Null(result.Event);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
    }

    [Fact]
    public void TrailingContentAfterTheEventIsInvalid()
    {
        Rejected(Track + "x");
        Rejected(Track + " {}");
        Rejected(Track + Track);
    }

    [Fact]
    public void FieldOrderDoesNotMatter()
    {
        var result = EventParser.Parse("""{"timestamp":"2026-12-01T10:00:00Z","properties":{"price":120},"event":"Purchase","userId":"u-1","messageId":"m-1","type":"track"}""");
        Assert.Null(result.Error);
        Assert.Equal("Purchase", result.Event?.Event);
        Assert.Equal(120d, result.Event?.Properties["price"].AsNumber);
    }

    [Fact]
    public void OtherSegmentSpecFieldsAreAccepted()
    {
        // app teams already emit full Segment-spec events: context, anonymousId, integrations, sentAt...
        var result = EventParser.Parse("""
            {"type":"track","messageId":"m-1","userId":"u-1","anonymousId":"a-9","event":"Purchase",
             "properties":{"price":120},"context":{"ip":"203.0.113.7","library":{"name":"analytics.js","version":"4.1.0"}},
             "integrations":{"All":true},"sentAt":"2026-12-01T10:00:01Z","timestamp":"2026-12-01T10:00:00Z"}
            """);
        Assert.Null(result.Error);
        Assert.Equal("Purchase", result.Event?.Event);
    }

    [Fact]
    public void RejectionKeepsTheMessageIdWhateverTheFieldOrder()
    {
        var result = EventParser.Parse("""{"userId":42,"type":"track","event":"E","timestamp":"2026-12-01T10:00:00Z","messageId":"m-7"}""");
        Assert.Null(result.Event);
        Assert.Contains("userId", result.Error, StringComparison.Ordinal);
        Assert.Equal("m-7", result.MessageId);
    }

    [Fact]
    public void InvalidJsonOnBytesIsRejectedNotThrown()
    {
        var result = EventParser.Parse(new byte[] { 0x7b, 0xff, 0xfe });
        Assert.Null(result.Event);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void OversizeEventIsRejected()
    {
        var padding = new string('x', EventParser.MaxEventBytes);
        var json = TrackWith("properties", $$"""{"note":"{{padding}}"}""");
        Assert.True(Encoding.UTF8.GetByteCount(json) > EventParser.MaxEventBytes);
        Rejected(json);
    }

    [Fact]
    public void EventJustUnderTheLimitIsAccepted()
    {
        var shell = TrackWith("properties", """{"note":""}""");
        var room = EventParser.MaxEventBytes - Encoding.UTF8.GetByteCount(shell);
        var json = TrackWith("properties", $$"""{"note":"{{new string('x', room)}}"}""");
        Assert.Equal(EventParser.MaxEventBytes, Encoding.UTF8.GetByteCount(json));
        var result = EventParser.Parse(json);
        Assert.Null(result.Error);
        Assert.Equal(room, result.Event?.Properties["note"].AsString?.Length);
    }

    [Fact]
    public void BadEventsInABatchDoNotAffectGoodOnes()
    {
        string[] batch = [Track, "{", Identify, TrackWith("userId", null), "[]"];
        var results = batch.Select(EventParser.Parse).ToList();
        Assert.Equal([true, false, true, false, false], results.Select(r => r.Event is not null));
        Assert.Equal("m-2", results[2].Event?.MessageId);
    }

    // ---- profiles ----

    [Fact]
    public void IdentifyMergesTraitsAndNullRemovesOne()
    {
        var first = EventParser.Parse(Identify).Event!;
        var second = EventParser.Parse("""{"type":"identify","messageId":"m-3","userId":"u-1","traits":{"loyaltyTier":"platinum","phone":null,"lastName":"Ng","consent":{"email":false}},"timestamp":"2026-12-02T09:00:00Z"}""").Event!;

        var empty = Profile.Empty("u-1");
        var afterFirst = empty.Merge(first.Traits);
        var afterSecond = afterFirst.Merge(second.Traits);

        Assert.Equal("beth@example.com", afterSecond.Trait("email").AsString); // kept
        Assert.Equal("Beth", afterSecond.Trait("firstName").AsString); // kept
        Assert.Equal("platinum", afterSecond.Trait("loyaltyTier").AsString); // replaced
        Assert.Equal("Ng", afterSecond.Trait("lastName").AsString); // added
        Assert.True(afterSecond.Trait("phone").IsMissing); // null removes
        Assert.False(afterSecond.Traits.ContainsKey("phone"));
        Assert.Equal("u-1", afterSecond.UserId);

        // profiles are immutable: merging makes a new one
        Assert.Empty(empty.Traits);
        Assert.Equal("+15550100", afterFirst.Trait("phone").AsString);
        Assert.Equal("gold", afterFirst.Trait("loyaltyTier").AsString);
    }

    [Fact]
    public void NullForAnAbsentTraitIsHarmless()
    {
        var profile = Profile.Empty("u").Merge(Json("""{"a":1}""")).Merge(Json("""{"b":null}"""));
        Assert.Equal(["a"], profile.Traits.Keys);
    }

    [Fact]
    public void MergingNothingKeepsTheTraits()
    {
        var profile = Profile.Empty("u").Merge(Json("""{"a":1}"""));
        Assert.Equal(1d, profile.Merge(Json("{}")).Trait("a").AsNumber);
        Assert.Equal(1d, profile.Merge(CustomerEvent.EmptyObject).Trait("a").AsNumber);
    }

    [Fact]
    public void TimezoneTraitResolves()
    {
        var profile = Profile.Empty("u-1").Merge(EventParser.Parse(Identify).Event!.Traits);
        // New York: UTC-5 in winter, UTC-4 in summer
        Assert.Equal(TimeSpan.FromHours(-5), profile.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.FromHours(-4), profile.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("""{"timezone":"Mars/Olympus_Mons"}""")]
    [InlineData("""{"timezone":""}""")]
    [InlineData("""{"timezone":42}""")]
    [InlineData("""{"firstName":"Beth"}""")]
    [InlineData("{}")]
    public void UnknownOrAbsentTimezoneIsUtc(string traits)
    {
        var profile = Profile.Empty("u").Merge(Json(traits));
        Assert.Equal(TimeSpan.Zero, profile.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(TimeSpan.Zero, profile.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void TimezoneFollowsTraitChanges()
    {
        var auckland = Profile.Empty("u").Merge(Json("""{"timezone":"Pacific/Auckland"}"""));
        Assert.Equal(TimeSpan.FromHours(12), auckland.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
        var removed = auckland.Merge(Json("""{"timezone":null}"""));
        Assert.Equal(TimeSpan.Zero, removed.TimeZone.GetUtcOffset(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void ConsentIsReadPerChannel()
    {
        var profile = Profile.Empty("u").Merge(Json("""{"consent":{"sms":true,"email":false}}"""));
        Assert.True(profile.Consent("sms"));
        Assert.False(profile.Consent("email"));
        Assert.Null(profile.Consent("push"));
    }

    [Fact]
    public void ConsentFromTheIdentifyExample()
    {
        var profile = Profile.Empty("u-1").Merge(EventParser.Parse(Identify).Event!.Traits);
        Assert.True(profile.Consent("sms"));
        Assert.Null(profile.Consent("email"));
        Assert.Null(profile.Consent("push"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"consent":true}""")]
    [InlineData("""{"consent":{"sms":"yes"}}""")]
    [InlineData("""{"consent":{"sms":null}}""")]
    public void ConsentSaysNothingUnlessABoolean(string traits)
    {
        var profile = Profile.Empty("u").Merge(Json(traits));
        Assert.Null(profile.Consent("sms"));
    }

    [Fact]
    public void ConsentChangesWithALaterIdentify()
    {
        var profile = Profile.Empty("u")
            .Merge(Json("""{"consent":{"sms":true}}"""))
            .Merge(Json("""{"consent":{"sms":false}}"""));
        Assert.False(profile.Consent("sms"));
    }

    [Fact]
    public void Nested_objects_keep_their_fields_in_order_and_a_repeated_name_keeps_its_first_place_and_last_value()
    {
        const string json = """{"type":"track","messageId":"m-9","userId":"u-1","event":"Go","properties":{"a":1,"cart":{"items":[{"sku":"A","qty":2},{"sku":"B"}],"total":{"value":3,"currency":"EUR"}},"b":2,"a":5},"timestamp":"2026-12-01T10:00:00Z"}""";

        var e = EventParser.Parse(Encoding.UTF8.GetBytes(json)).Event!;

        var properties = e.Properties.AsObject!;
        Assert.Equal(["a", "cart", "b"], properties.Keys);
        Assert.Equal(5, properties["a"].AsNumber);
        var cart = properties["cart"].AsObject!;
        Assert.Equal(["items", "total"], cart.Keys);
        Assert.Equal(["sku", "qty"], cart["items"].AsArray[0].AsObject!.Keys);
        Assert.Equal(["sku"], cart["items"].AsArray[1].AsObject!.Keys);
        Assert.Equal(["value", "currency"], cart["total"].AsObject!.Keys);
        Assert.Equal(Json("""{"a":5,"cart":{"items":[{"sku":"A","qty":2},{"sku":"B"}],"total":{"value":3,"currency":"EUR"}},"b":2}"""), e.Properties);
    }

    [Fact]
    public void A_line_that_breaks_off_inside_an_object_leaves_the_next_line_whole()
    {
        Assert.Null(EventParser.Parse("""{"type":"track","messageId":"m-8","userId":"u-1","event":"Go","properties":{"x":{"y":1,"z":"""u8).Event);

        var e = EventParser.Parse(Encoding.UTF8.GetBytes(Track)).Event!;

        Assert.Equal(["price", "sku"], e.Properties.AsObject!.Keys);
    }
}
