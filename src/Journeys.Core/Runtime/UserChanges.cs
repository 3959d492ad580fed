using Journeys.Core.Audience;

namespace Journeys.Core.Runtime;

/// <summary>
/// What one event changes in its user's partition, written atomically (on Table Storage: one
/// entity-group transaction): the dedupe mark, the history row, the profile, membership changes.
/// </summary>
/// <param name="MessageId">Marks the message as seen; the commit fails as a duplicate when it was.</param>
/// <param name="Profile">The profile to save, null when unchanged.</param>
/// <param name="ExpectedProfileVersion">The snapshot's profile version: a profile changed since is a conflict.</param>
/// <param name="Appended">The history event to add, with the sequence the snapshot predicts.</param>
/// <param name="ProcessedAt">When the ingestion processed the event: kept on the history row, it is the time
/// orchestrations decide the event at when they pull it.</param>
/// <param name="HistoryOnly">The appended event joins the history for conditions only (a merged anonymous profile's):
/// no enrollment pulls it as an arrival.</param>
public sealed record UserChanges(
    string UserId,
    string? MessageId = null,
    Profile? Profile = null,
    string? ExpectedProfileVersion = null,
    HistoryEvent? Appended = null,
    IReadOnlyList<KeyValuePair<string, bool>>? Memberships = null,
    DateTimeOffset? ProcessedAt = null,
    bool HistoryOnly = false)
{
    public bool IsEmpty => MessageId is null && Profile is null && Appended is null && (Memberships is null || Memberships.Count == 0);
}

public enum CommitOutcome
{
    Committed,

    /// <summary>The message id was seen before: nothing was written.</summary>
    Duplicate,

    /// <summary>The partition changed since the snapshot (an enrollment updated the profile): read again and retry.</summary>
    Conflict,
}
