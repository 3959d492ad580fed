using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// The Azure ingestion's store: a user's data as one partition, read in one go and changed in one
/// atomic write, so an event that concerns no journey costs two storage transactions.
/// </summary>
public interface IUserPartition
{
    /// <param name="messageId">The message to check for a repeat in the same read, when given.</param>
    UserSnapshot Load(string userId, string? messageId) => Load(userId, messageId, PartitionScope.Everything);

    /// <summary>The same read, of only the enrollments and entry ledgers in <paramref name="scope"/> (the rest of the user's data whole).</summary>
    UserSnapshot Load(string userId, string? messageId, PartitionScope scope);

    CommitOutcome Commit(UserChanges changes);

    /// <summary>
    /// Records an entry and saves the new enrollment, atomically, if the entry ledger row of its scope (the journey,
    /// or the journey and key: <see cref="EntryRules.Scope"/>) is still as read (<paramref name="previous"/>, with its
    /// version); false: another entry raced this one.
    /// </summary>
    /// <param name="marker">A message id marked seen in the same write (a jump's, so a retried jump activity sees it entered).</param>
    bool RecordEntry(EnrollmentState started, JourneyEntries previous, string? marker = null);

    /// <summary>Records on the enrollment that the user left a segment its journey exits on; a repeat keeps the first.</summary>
    void RequestSegmentExit(EnrollmentState enrollment, Orchestration.SegmentExit exit);

    /// <summary>Records a stop of the enrollment (its orchestration pulls it); a repeat keeps the first time.</summary>
    void RequestStop(EnrollmentState enrollment, DateTimeOffset at);

    /// <summary>Every user id, in ordinal order (scheduled entries walk them all).</summary>
    IEnumerable<string> UserIds();

    /// <summary>Active enrollments in a journey (a stop reaches them all).</summary>
    IEnumerable<EnrollmentState> ActiveIn(string journeyId);
}
