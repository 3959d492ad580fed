namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();
    private readonly Dictionary<string, HashSet<string>> _byUser = new(StringComparer.Ordinal);

    public IReadOnlySet<string> SegmentsOf(string userId) => _byUser.TryGetValue(userId, out var set) ? set : None;

    public void Set(string segmentId, string userId, bool member)
    {
        if (member)
        {
            if (!_byUser.TryGetValue(userId, out var set))
            {
                _byUser[userId] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(segmentId);
        }
        else if (_byUser.TryGetValue(userId, out var set))
        {
            set.Remove(segmentId);
        }
    }
}
