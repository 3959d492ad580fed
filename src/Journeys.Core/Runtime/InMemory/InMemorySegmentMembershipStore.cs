namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly UserMap<HashSet<string>> _byUser = new();

    public IReadOnlySet<string> SegmentsOf(string userId) => _byUser.Find(userId) ?? None;

    public void Set(string segmentId, string userId, bool member)
    {
        if (member)
        {
            _byUser.GetOrAdd(userId, static () => new HashSet<string>(StringComparer.Ordinal)).Add(segmentId);
        }
        else
        {
            _byUser.Find(userId)?.Remove(segmentId);
        }
    }
}
