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

    /// <summary>The ids of users with a profile, ordinal order; new ones since the last call are merged in.</summary>
    private string[] _profileIds = [];

    private readonly List<string> _newProfileIds = [];

    /// <summary>Saves a user's profile, noting a user's first so <see cref="ProfileIdsInOrder"/> need not sort everyone again.</summary>
    public void SaveProfile(Profile profile)
    {
        var user = Get(profile.UserId);
        if (user.Profile is null)
        {
            _newProfileIds.Add(profile.UserId);
        }
        user.Profile = profile;
    }

    /// <summary>
    /// Every user with a profile in ordinal order. A daily scheduled run walks them all: sorting a million ids for
    /// each run cost seconds, where merging the few new ones into the order kept from the last run is linear.
    /// </summary>
    public string[] ProfileIdsInOrder()
    {
        if (_newProfileIds.Count == 0)
        {
            return _profileIds;
        }
        _newProfileIds.Sort(StringComparer.Ordinal);
        var merged = new string[_profileIds.Length + _newProfileIds.Count];
        int i = 0, j = 0, k = 0;
        while (i < _profileIds.Length && j < _newProfileIds.Count)
        {
            merged[k++] = string.CompareOrdinal(_profileIds[i], _newProfileIds[j]) < 0 ? _profileIds[i++] : _newProfileIds[j++];
        }
        while (i < _profileIds.Length)
        {
            merged[k++] = _profileIds[i++];
        }
        while (j < _newProfileIds.Count)
        {
            merged[k++] = _newProfileIds[j++];
        }
        _newProfileIds.Clear();
        _profileIds = merged;
        return merged;
    }

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
