using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// <see cref="IUserPartition"/> over the runtime's ports (in memory for tests and the Azure harness),
/// counting the storage transactions the Table Storage implementation makes for the same calls:
/// one per <see cref="Load"/> (a partition query), one per <see cref="Commit"/> and
/// <see cref="RecordEntry"/> (an entity-group transaction). Not atomic itself; the ports are in memory.
/// </summary>
public sealed class StoreUserPartition(RuntimeStores stores) : IUserPartition
{
    public int Reads { get; private set; }

    public int Writes { get; private set; }

    public int Transactions => Reads + Writes;

    public UserSnapshot Load(string userId, string? messageId)
    {
        Reads++;
        // the ports cannot look a message id up without adding it: the commit reports the repeat
        return new UserSnapshot(
            userId,
            Seen: false,
            stores.Profiles.Find(userId),
            ProfileVersion: null,
            stores.History.Get(userId),
            stores.Enrollments.ActiveFor(userId),
            journeyId => new JourneyEntries(stores.Entries.Entries(journeyId, userId), null),
            stores.Memberships.SegmentsOf(userId));
    }

    public CommitOutcome Commit(UserChanges changes)
    {
        Writes++;
        if (changes.MessageId is { } messageId && !stores.Dedupe.TryAdd(messageId))
        {
            return CommitOutcome.Duplicate;
        }
        if (changes.Profile is { } profile)
        {
            stores.Profiles.Save(profile);
        }
        if (changes.Appended is { } e)
        {
            var appended = stores.History.Append(changes.UserId, e.Event, e.Timestamp, e.Properties);
            if (appended.Sequence != e.Sequence)
            {
                throw new InvalidOperationException($"history sequence {appended.Sequence}, expected {e.Sequence}: the partition changed under a commit");
            }
        }
        foreach (var (segment, member) in changes.Memberships ?? [])
        {
            stores.Memberships.Set(segment, changes.UserId, member);
        }
        return CommitOutcome.Committed;
    }

    public bool RecordEntry(EnrollmentState started, JourneyEntries previous)
    {
        Writes++;
        stores.Entries.Record(started.JourneyId, started.UserId, started.EnteredAt);
        stores.Enrollments.Save(started);
        return true;
    }

    public IEnumerable<string> UserIds() => stores.Profiles.UserIds();

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) => stores.Enrollments.ActiveIn(journeyId);
}
