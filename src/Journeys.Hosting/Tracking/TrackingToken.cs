namespace Journeys.Hosting.Tracking;

/// <summary>Which hit a tracking link records: the open pixel (<c>/t/o/</c>) or a click redirect (<c>/t/c/</c>).</summary>
public enum TrackingKind { Open, Click }

/// <summary>
/// What a tracking token carries, signed (<see cref="TrackingSigner"/>): the message's identity and, for a click,
/// which link and a hash of its URL. No address, no content: the URL itself travels beside the token, and the
/// hash proves it is the one that was in the message.
/// </summary>
/// <param name="MessageKey">The send's idempotency key (the engagement event's <c>messageId</c> property).</param>
/// <param name="Link">The link's index in the body (0-based); -1 for the open pixel.</param>
/// <param name="UrlHash">SHA-256 of the link's URL, first 16 bytes, base64url; empty for the open pixel.</param>
public sealed record TrackingToken(
    TrackingKind Kind,
    string Journey,
    string User,
    string Enrollment,
    string Step,
    string MessageKey,
    int Link,
    string UrlHash);
