namespace Journeys.Hosting.Tracking;

/// <summary>The identity of a tracked message that its tokens carry (no address, no content).</summary>
/// <param name="MessageKey">The send's idempotency key.</param>
public sealed record TrackedMessage(string Journey, string User, string Enrollment, string Step, string MessageKey)
{
    public TrackingToken Token(TrackingKind kind, int link, string urlHash) =>
        new(kind, Journey, User, Enrollment, Step, MessageKey, link, urlHash);
}
