using Azure.Data.Tables;
using Azure.Messaging.EventHubs;
using Journeys.Core.Audience;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Journeys.Functions.Tests;

/// <summary>
/// An app publishing Segment calls to Event Hubs: the bytes of its <see cref="EventData"/> bodies, as the trigger hands
/// them over, go through the same Core parser as serve's SDK routes (page/screen, anonymousId, no timestamp or messageId),
/// with the hub's enqueued time as the receive time; an identify naming an anonymous id merges that profile into the user's.
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

    [Fact]
    public async Task The_trigger_takes_event_data_at_its_enqueued_time_and_an_identify_merges_the_anonymous_profile()
    {
        var azurite = new Azurite();
        var catalog = new DefinitionCatalog(azurite.Tables, TimeProvider.System);
        var users = new TableUserPartition(azurite.Tables);
        var ingestion = new EventIngestion(
            new IngestorFactory(catalog, users, new TableTraceOutput(azurite.Tables), new TableEntryCounters(azurite.Tables)),
            new DeadLetters(azurite.Tables, TimeProvider.System), TimeProvider.System, NullLogger<EventIngestion>.Instance);
        var durable = new Mock<DurableTaskClient>(MockBehavior.Loose, "test").Object;

        // a visitor browses before signing in: no timestamps, no message ids (as RudderStack sends them)
        await ingestion.Run([
            Data("""{"type":"page","anonymousId":"a-1","name":"Pricing"}""", Enqueued),
            Data("""{"type":"identify","anonymousId":"a-1","traits":{"plan":"pro","firstName":"Visitor"}}""", Enqueued.AddSeconds(1)),
            Data("""{"type":"track","userId":"u","event":"\ud800"}""", Enqueued.AddSeconds(2)),
        ], durable, CancellationToken.None);
        var visitor = users.Load("a-1", null);
        Assert.Equal(Enqueued, Assert.Single(visitor.History).Timestamp);
        Assert.Contains("surrogate", Assert.Single(azurite.Tables.DeadLetters.Query<TableEntity>()).GetString("Reason"), StringComparison.Ordinal);

        // signing in: the identify names both ids; sent twice (a redelivered batch), it merges once
        var signIn = Data("""{"type":"identify","userId":"ann","anonymousId":"a-1","traits":{"firstName":"Ann"}}""", Enqueued.AddMinutes(1));
        await ingestion.Run([signIn], durable, CancellationToken.None);
        await ingestion.Run([signIn], durable, CancellationToken.None);
        var ann = users.Load("ann", null);
        Assert.Equal(("Page Viewed", Enqueued), (Assert.Single(ann.History).Event, ann.History[0].Timestamp));
        Assert.Equal(("pro", "Ann"), (ann.Profile!.Trait("plan").AsString, ann.Profile.Trait("firstName").AsString)); // the user's own traits win
        Assert.Equal("Visitor", users.Load("a-1", null).Profile!.Trait("firstName").AsString); // the anonymous profile stays

        // an alias (previousId -> userId) merges the same way
        await ingestion.Run([Data("""{"type":"track","anonymousId":"a-2","event":"Added To Cart"}""", Enqueued), Data("""{"type":"alias","previousId":"a-2","userId":"ann"}""", Enqueued)], durable, CancellationToken.None);
        Assert.Equal(["Page Viewed", "Added To Cart"], users.Load("ann", null).History.Select(h => h.Event));
    }

    private static EventData Data(string json, DateTimeOffset enqueued) =>
        EventHubsModelFactory.EventData(BinaryData.FromString(json), offsetString: "0", enqueuedTime: enqueued);
}
