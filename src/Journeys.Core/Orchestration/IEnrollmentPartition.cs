namespace Journeys.Core.Orchestration;

/// <summary>
/// The orchestration's side of the user's partition, the record of truth (DESIGN §5): the ingestion writes
/// events (with their processing time), enrollments and stop requests there; an orchestration pulls from it
/// on every wake-up, so a Durable event that is lost, repeated or raised to the wrong execution changes nothing.
/// </summary>
public interface IEnrollmentPartition
{
    /// <summary>Claims the enrollment for <see cref="PullRequest.Claim"/> if unclaimed, then reads what is new after the cursor.</summary>
    PullResult Pull(PullRequest request);

    /// <summary>Whether a message with this idempotency key was delivered (its mark written after delivery).</summary>
    bool IsSent(string userId, string idempotencyKey);

    void MarkSent(string userId, string idempotencyKey, DateTimeOffset at);
}
