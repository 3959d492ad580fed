using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Hosting.Tracking;

namespace Journeys.Functions.Channels;

/// <summary>
/// Event Grid deliveries from the ACS resource's system topic (Event Grid schema: a JSON array of
/// <c>{id, eventType, eventTime, data}</c>) read as DESIGN §9 engagement events, field names as in
/// Azure.Messaging.EventGrid.SystemEvents (docs/azure.md pins the commit):
/// <list type="bullet">
/// <item><c>Microsoft.Communication.EmailDeliveryReportReceived</c> (<c>messageId</c> = the send's operation id,
/// <c>status</c>): <c>Delivered</c> → <c>Email Delivered</c>; any other status (Bounced, Failed, Suppressed,
/// FilteredSpam, Quarantined — "anything other than Delivered is considered failed") → <c>Email Bounced</c> with it in <c>status</c>.</item>
/// <item><c>Microsoft.Communication.EmailEngagementTrackingReportReceived</c> (<c>engagementType</c> view or click,
/// <c>engagementContext</c> the URL): <c>Email Opened</c>, <c>Email Link Clicked</c> with <c>url</c>.</item>
/// <item><c>Microsoft.Communication.SMSDeliveryReportReceived</c> (<c>tag</c> = the idempotency key,
/// <c>deliveryStatus</c>): <c>Message Delivered</c>, else <c>Message Failed</c> with <c>status</c>.</item>
/// </list>
/// Each event's id is derived from the Event Grid event's <c>id</c> (the same on every redelivery), so a repeat is
/// a duplicate the runtime drops. A report of a message Journeys did not send, or of another event type, is skipped.
/// </summary>
public static class AcsReports
{
    public const string ValidationEvent = "Microsoft.EventGrid.SubscriptionValidationEvent";
    public const string EmailDelivery = "Microsoft.Communication.EmailDeliveryReportReceived";
    public const string EmailEngagement = "Microsoft.Communication.EmailEngagementTrackingReportReceived";
    public const string SmsDelivery = "Microsoft.Communication.SMSDeliveryReportReceived";

    /// <summary>What a delivery holds: the validation code of a handshake, else the engagement events and how many events were skipped.</summary>
    public sealed record Reading(string? ValidationCode, IReadOnlyList<CustomerEvent> Events, int Skipped, string? Error);

    /// <param name="byOperationId">The send behind an e-mail report's <c>messageId</c> (<see cref="AcsMessageMap.ByOperationId"/>).</param>
    /// <param name="byTag">The send behind an SMS report's <c>tag</c> (<see cref="AcsMessageMap.ByTag"/>).</param>
    public static Reading Read(ReadOnlySpan<byte> body, Func<string, EngagementEvents.Sent?> byOperationId, Func<string, EngagementEvents.Sent?> byTag, DateTimeOffset now)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            return new Reading(null, [], 0, $"the body is not JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return new Reading(null, [], 0, "expected a JSON array of Event Grid events (the subscription's schema must be EventGridSchema)");
            }
            var events = new List<CustomerEvent>();
            var skipped = 0;
            var index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var at = $"$[{index++}]";
                if (item.ValueKind != JsonValueKind.Object || Text(item, "eventType") is not { } type || item.TryGetProperty("data", out var data) is false
                    || data.ValueKind != JsonValueKind.Object)
                {
                    return new Reading(null, [], 0, $"{at}: an Event Grid event needs 'eventType' and an object 'data'");
                }
                if (type == ValidationEvent)
                {
                    return Text(data, "validationCode") is { } code
                        ? new Reading(code, [], 0, null)
                        : new Reading(null, [], 0, $"{at}.data: a validation event without 'validationCode'");
                }
                if (Text(item, "id") is not { } id)
                {
                    return new Reading(null, [], 0, $"{at}: an Event Grid event needs an 'id'");
                }
                var when = Time(item, "eventTime") ?? now;
                var engagement = type switch
                {
                    EmailDelivery => EmailDelivered(data, id, when, byOperationId),
                    EmailEngagement => EmailEngaged(data, id, when, byOperationId),
                    SmsDelivery => SmsDelivered(data, id, when, byTag),
                    _ => null,
                };
                if (engagement is null) skipped++;
                else events.Add(engagement);
            }
            return new Reading(null, events, skipped, null);
        }
    }

    private static CustomerEvent? EmailDelivered(JsonElement data, string id, DateTimeOffset when, Func<string, EngagementEvents.Sent?> byOperationId) =>
        Text(data, "messageId") is { } messageId && byOperationId(messageId) is { } sent
            ? Delivery(sent, id, Text(data, "status"), Time(data, "deliveryAttemptTimestamp") ?? when, EngagementEvents.EmailDelivered, EngagementEvents.EmailBounced)
            : null;

    private static CustomerEvent? EmailEngaged(JsonElement data, string id, DateTimeOffset when, Func<string, EngagementEvents.Sent?> byOperationId)
    {
        if (Text(data, "messageId") is not { } messageId || byOperationId(messageId) is not { } sent)
        {
            return null;
        }
        var at = Time(data, "userActionTimestamp") ?? when;
        return Text(data, "engagementType")?.ToLowerInvariant() switch
        {
            "view" => EngagementEvents.Create(EngagementEvents.EmailOpened, sent, EngagementEvents.EventId("acs", id), at),
            "click" => EngagementEvents.Create(EngagementEvents.EmailLinkClicked, sent, EngagementEvents.EventId("acs", id), at, Text(data, "engagementContext") ?? ""),
            _ => null,
        };
    }

    private static CustomerEvent? SmsDelivered(JsonElement data, string id, DateTimeOffset when, Func<string, EngagementEvents.Sent?> byTag) =>
        Text(data, "tag") is { } tag && byTag(tag) is { } sent
            ? Delivery(sent, id, Text(data, "deliveryStatus"), Time(data, "receivedTimestamp") ?? when, EngagementEvents.MessageDelivered, EngagementEvents.MessageFailed)
            : null;

    /// <summary><paramref name="delivered"/> for status Delivered, else <paramref name="failed"/> with the status in <c>status</c>.</summary>
    private static CustomerEvent Delivery(EngagementEvents.Sent sent, string id, string? status, DateTimeOffset at, string delivered, string failed) =>
        string.Equals(status, "Delivered", StringComparison.OrdinalIgnoreCase)
            ? EngagementEvents.Create(delivered, sent, EngagementEvents.EventId("acs", id), at)
            : EngagementEvents.Create(failed, sent, EngagementEvents.EventId("acs", id), at, extra: new Dictionary<string, string> { ["status"] = status ?? "" });

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? Time(JsonElement e, string name) =>
        Text(e, name) is { } s && DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.RoundtripKind, out var t) ? t : null;
}
