using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly UserMap<Profile> _profiles = new();

    public Profile? Find(string userId) => _profiles.Find(userId);

    public void Save(Profile profile) => _profiles.Set(profile.UserId, profile);

    public IEnumerable<string> UserIds() => _profiles.Keys.Order(StringComparer.Ordinal);
}
