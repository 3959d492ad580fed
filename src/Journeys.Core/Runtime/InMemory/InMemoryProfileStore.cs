using Journeys.Core.Audience;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryProfileStore : IProfileStore
{
    private readonly InMemoryUsers _users;

    public InMemoryProfileStore() : this(new InMemoryUsers()) { }

    internal InMemoryProfileStore(InMemoryUsers users) => _users = users;

    public Profile? Find(string userId) => _users.Find(userId)?.Profile;

    public void Save(Profile profile) => _users.SaveProfile(profile);

    public IEnumerable<string> UserIds() => _users.ProfileIdsInOrder();
}
