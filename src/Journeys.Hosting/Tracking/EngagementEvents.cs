using System.Security.Cryptography;
using System.Text;
using Journeys.Core.Audience;

namespace Journeys.Hosting.Tracking;

/// <summary>
/// The engagement events of DESIGN §9 (Segment e-mail spec names) as track events of the message's user, with
/// <c>journey</c>, <c>step</c>, <c>enrollment</c> (so they reach only that enrollment), <c>channel</c>,
/// <c>messageId</c> (the send's idempotency key) and, for clicks, <c>url</c>. Built-in tracking and the ACS
/// reports both make them here.
/// </summary>
public static class EngagementEvents
{
    public const string EmailDelivered = "Email Delivered";
    public const string EmailOpened = "Email Opened";
    public const string EmailLinkClicked = "Email Link Clicked";
    public const string EmailBounced = "Email Bounced";
    public const string MessageDelivered = "Message Delivered";
    public const string MessageFailed = "Message Failed";

    /// <summary>The send an engagement belongs to.</summary>
    public sealed record Sent(string Journey, string User, string Enrollment, string Step, string Channel, string MessageKey);

    /// <param name="eventId">The event's own <c>messageId</c>: the same hit or report always gives the same one, so the runtime's dedupe drops repeats.</param>
    /// <param name="extra">More properties (a report's <c>status</c>); never overrides the ones above.</param>
    public static CustomerEvent Create(string name, Sent sent, string eventId, DateTimeOffset at, string? url = null, IReadOnlyDictionary<string, string>? extra = null)
    {
        var properties = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var (key, text) in extra ?? new Dictionary<string, string>())
        {
            properties[key] = Value.From(text);
        }
        properties["journey"] = Value.From(sent.Journey);
        properties["step"] = Value.From(sent.Step);
        properties["enrollment"] = Value.From(sent.Enrollment);
        properties["channel"] = Value.From(sent.Channel);
        properties["messageId"] = Value.From(sent.MessageKey);
        if (url is not null)
        {
            properties["url"] = Value.From(url);
        }
        return CustomerEvent.Track(eventId, sent.User, name, at, Value.From(properties));
    }

    /// <summary>A short stable id from its parts (a token, a report id), prefixed by where it came from.</summary>
    public static string EventId(string source, string identity) =>
        $"{source}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)).AsSpan(0, 16))}";
}
