using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// Everything the ingestion needs about one user, read together (on Table Storage: one query over the
/// user's partition): whether the message was seen, the profile, history, active enrollments, entry
/// ledger and streaming segment memberships; of enrollments and ledgers, those its <see cref="PartitionScope"/> names.
/// </summary>
/// <param name="Seen">The message id was processed before (only when the store can tell at read time).</param>
/// <param name="ProfileVersion">Opaque concurrency token of the profile row (an ETag), null when there is none.</param>
/// <param name="Active">Active enrollments, oldest entry first.</param>
/// <param name="EntriesOf">Entry instants into a journey, oldest first, and their row's concurrency token.</param>
public sealed record UserSnapshot(
    string UserId,
    bool Seen,
    Profile? Profile,
    string? ProfileVersion,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<EnrollmentState> Active,
    Func<string, JourneyEntries> EntriesOf,
    IReadOnlySet<string> Segments)
{
    public long LastSequence => History.Count == 0 ? 0 : History[^1].Sequence;

    public bool IsActiveIn(string journeyId)
    {
        foreach (var enrollment in Active)
        {
            if (string.Equals(enrollment.JourneyId, journeyId, StringComparison.Ordinal)) return true;
        }
        return false;
    }
}

/// <summary>A user's entries into one journey (the entry ledger row) and its concurrency token.</summary>
public sealed record JourneyEntries(IReadOnlyList<DateTimeOffset> At, string? Version)
{
    public static JourneyEntries None { get; } = new([], null);
}
