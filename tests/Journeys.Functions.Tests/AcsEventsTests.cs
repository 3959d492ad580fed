using System.Text;
using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Functions.Api;
using Journeys.Functions.Channels;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Functions.Tests;

/// <summary>
/// <c>POST /api/v1/acs/events</c>: Event Grid's validation handshake, and ACS e-mail and SMS reports turned into the
/// DESIGN §9 events of the enrollment that sent the message (the map on Azurite, as the ACS channel writes it).
/// </summary>
public sealed class AcsEventsTests
{
    private static readonly SendMessage Email = new(DateTimeOffset.UnixEpoch, "cart:u-1:1", "u-1", "cart", "remind", Channel.Email, "beth@example.com",
        new Dictionary<string, string> { ["subject"] = "s", ["body"] = "b" }, new Dictionary<string, string>(), "cart:u-1:1:remind:1");

    private static readonly SendMessage Sms = Email with { Channel = Channel.Sms, To = "+15550100", Step = "nudge", IdempotencyKey = "cart:u-1:1:nudge:1" };

    private sealed class Run
    {
        public List<CustomerEvent> Ingested { get; } = [];
        public HashSet<string> Seen { get; } = [];
        public (int Status, JsonElement Body) Response { get; set; }
    }

    private static async Task<Run> PostAsync(AcsEventsApi api, string body, Run? run = null)
    {
        run ??= new Run();
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.Method = "POST";
        context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        context.Response.Body = new MemoryStream();
        var result = await api.HandleAsync(context.Request, (e, _) =>
        {
            run.Ingested.Add(e);
            return Task.FromResult(run.Seen.Add(e.MessageId) ? IngestOutcome.Accepted : IngestOutcome.Duplicate);
        }, CancellationToken.None);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var doc = JsonDocument.Parse(context.Response.Body);
        run.Response = (context.Response.StatusCode, doc.RootElement.Clone());
        return run;
    }

    private static AcsEventsApi Api(out AcsMessageMap map)
    {
        var azurite = new Azurite();
        map = new AcsMessageMap(azurite.Tables);
        return new AcsEventsApi(map, null!, TimeProvider.System, NullLogger<AcsEventsApi>.Instance);
    }

    private static string Event(string id, string type, object data) =>
        JsonSerializer.Serialize(new { id, topic = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Communication/communicationServices/acs", subject = "s", eventType = type, eventTime = "2026-12-01T10:05:00Z", data, dataVersion = "1.0" });

    [Fact]
    public async Task The_subscription_validation_handshake_is_answered_with_its_code()
    {
        var api = Api(out _);
        var run = await PostAsync(api, "[" + Event("v-1", AcsReports.ValidationEvent, new { validationCode = "512d38b6-c7b8-40c8-89fe-f46f9e9622b6", validationUrl = "https://rp-eastus2.eventgrid.azure.net/x" }) + "]");
        Assert.Equal(200, run.Response.Status);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", run.Response.Body.GetProperty("validationResponse").GetString());
        Assert.Empty(run.Ingested);
    }

    [Fact]
    public async Task Delivery_and_engagement_reports_become_the_events_of_the_enrollment_that_sent_the_message()
    {
        var api = Api(out var map);
        map.Record(Email);
        map.Record(Sms);
        var operationId = AcsChannels.OperationId(Email.IdempotencyKey).ToString();
        var body = "[" + string.Join(",",
            Event("e-1", AcsReports.EmailDelivery, new { sender = "no-reply@x", recipient = "beth@example.com", messageId = operationId, status = "Delivered", deliveryAttemptTimestamp = "2026-12-01T10:01:00Z" }),
            Event("e-2", AcsReports.EmailEngagement, new { sender = "no-reply@x", recipient = "beth@example.com", messageId = operationId, userActionTimestamp = "2026-12-01T10:02:00Z", engagementType = "view" }),
            Event("e-3", AcsReports.EmailEngagement, new { messageId = operationId, userActionTimestamp = "2026-12-01T10:03:00Z", engagementContext = "https://shop.example/cart", engagementType = "click" }),
            Event("e-4", AcsReports.SmsDelivery, new { messageId = "Outgoing_1", from = "+15550000", to = "+15550100", deliveryStatus = "Failed", deliveryStatusDetails = "No route", tag = Sms.IdempotencyKey }),
            Event("e-5", AcsReports.EmailDelivery, new { messageId = Guid.NewGuid().ToString(), status = "Delivered" }), // not ours
            Event("e-6", "Microsoft.Communication.SMSReceived", new { messageId = "In_1", from = "+15550100", to = "+15550000", message = "STOP" }))
            + "]";

        var run = await PostAsync(api, body);

        Assert.Equal(200, run.Response.Status);
        Assert.Equal((4, 0, 2), (run.Response.Body.GetProperty("accepted").GetInt32(), run.Response.Body.GetProperty("duplicates").GetInt32(), run.Response.Body.GetProperty("skipped").GetInt32()));
        Assert.Equal(["Email Delivered", "Email Opened", "Email Link Clicked", "Message Failed"], run.Ingested.Select(e => e.Event));
        Assert.All(run.Ingested, e => Assert.Equal("u-1", e.UserId));
        Assert.All(run.Ingested[..3], e => AssertSent(e, Email, "email"));
        AssertSent(run.Ingested[3], Sms, "sms");
        Assert.Equal("https://shop.example/cart", run.Ingested[2].Properties["url"].AsString);
        Assert.Equal("Failed", run.Ingested[3].Properties["status"].AsString);
        Assert.Equal(DateTimeOffset.Parse("2026-12-01T10:02:00Z", System.Globalization.CultureInfo.InvariantCulture), run.Ingested[1].Timestamp);

        // Event Grid delivers at least once: the same events again are duplicates, by their ids
        var again = await PostAsync(api, body, run);
        Assert.Equal((0, 4), (again.Response.Body.GetProperty("accepted").GetInt32(), again.Response.Body.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task A_body_that_is_not_an_event_grid_array_is_a_400_naming_the_problem()
    {
        var api = Api(out _);
        var notArray = await PostAsync(api, """{"eventType":"x"}""");
        Assert.Equal(400, notArray.Response.Status);
        Assert.Contains("EventGridSchema", notArray.Response.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
        var noData = await PostAsync(api, """[{"id":"1","eventType":"x"}]""");
        Assert.Contains("$[0]", noData.Response.Body.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_queue_message_is_one_event_as_json_or_as_base64_of_it()
    {
        var azurite = new Azurite();
        var map = new AcsMessageMap(azurite.Tables);
        map.Record(Email);
        var report = Event("q-1", AcsReports.EmailDelivery, new { messageId = AcsChannels.OperationId(Email.IdempotencyKey).ToString(), status = "Bounced" });
        foreach (var message in new[] { report, Convert.ToBase64String(Encoding.UTF8.GetBytes(report)) })
        {
            var reading = AcsReports.Read(AcsEventsApi.QueueBody(message), map.ByOperationId, map.ByTag, DateTimeOffset.UtcNow);
            var bounced = Assert.Single(reading.Events);
            Assert.Equal(("Email Bounced", "Bounced"), (bounced.Event, bounced.Properties["status"].AsString));
            AssertSent(bounced, Email, "email");
        }
        Assert.NotNull(AcsReports.Read(AcsEventsApi.QueueBody("%%% not a report"), map.ByOperationId, map.ByTag, DateTimeOffset.UtcNow).Error);
    }

    private static void AssertSent(CustomerEvent e, SendMessage sent, string channel)
    {
        Assert.Equal(sent.JourneyId, e.Properties["journey"].AsString);
        Assert.Equal(sent.Step, e.Properties["step"].AsString);
        Assert.Equal(sent.EnrollmentId, e.Properties["enrollment"].AsString);
        Assert.Equal(sent.IdempotencyKey, e.Properties["messageId"].AsString);
        Assert.Equal(channel, e.Properties["channel"].AsString);
    }
}
