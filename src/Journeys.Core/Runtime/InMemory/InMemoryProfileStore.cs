using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly InMemoryUsers _users;

    public InMemoryProfileStore() : this(new InMemoryUsers()) { }

    internal InMemoryProfileStore(InMemoryUsers users) => _users = users;

    public Profile? Find(string userId) => _users.Find(userId)?.Profile;

    public void Save(Profile profile) => _users.Get(profile.UserId).Profile = profile;

    public IEnumerable<string> UserIds() =>
        _users.All.Where(u => u.Value.Profile is not null).Select(u => u.Key).Order(StringComparer.Ordinal);
}
