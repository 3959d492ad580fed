using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly Dictionary<string, Profile> _profiles = new(StringComparer.Ordinal);

    public Profile? Find(string userId) => _profiles.GetValueOrDefault(userId);

    public void Save(Profile profile) => _profiles[profile.UserId] = profile;

    public IEnumerable<string> UserIds() => _profiles.Keys.Order(StringComparer.Ordinal);
}
