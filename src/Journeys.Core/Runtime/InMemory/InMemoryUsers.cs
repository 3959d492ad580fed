using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime.InMemory;

/// <summary>
/// Everything the in-memory stores keep per user, in one record: an event touches one user, so one
/// hash look-up (and one cache line of pointers) serves the profile, history, enrollments,
/// memberships and sends, where separate tables would each miss the cache.
/// </summary>
internal sealed class InMemoryUsers
{
    private readonly UserMap<UserRecord> _users = new();

    public UserRecord? Find(string userId) => _users.Find(userId);

    public UserRecord Get(string userId) => _users.GetOrAdd(userId, static () => new UserRecord());

    public IEnumerable<KeyValuePair<string, UserRecord>> All => _users.Entries;

    internal sealed class UserRecord
    {
        public Profile? Profile;
        public List<HistoryEvent>? History;
        public List<EnrollmentState>? Active;
        public HashSet<string>? Segments;
        public List<DateTimeOffset>? Sends;

        /// <summary>The entry ledger's rows: entry instants per journey (or keyed scope).</summary>
        public List<KeyValuePair<string, List<DateTimeOffset>>>? Entries;
    }
}
