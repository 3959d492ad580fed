namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly InMemoryUsers _users;

    public InMemorySegmentMembershipStore() : this(new InMemoryUsers()) { }

    internal InMemorySegmentMembershipStore(InMemoryUsers users) => _users = users;

    public IReadOnlySet<string> SegmentsOf(string userId) => _users.Find(userId)?.Segments ?? None;

    public void Set(string segmentId, string userId, bool member)
    {
        if (member)
        {
            (_users.Get(userId).Segments ??= new HashSet<string>(StringComparer.Ordinal)).Add(segmentId);
        }
        else
        {
            _users.Find(userId)?.Segments?.Remove(segmentId);
        }
    }
}
