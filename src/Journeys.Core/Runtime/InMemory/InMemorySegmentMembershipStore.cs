namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemorySegmentMembershipStore : ISegmentMembershipStore
{
    private readonly HashSet<(string, string)> _members = [];

    public bool IsMember(string segmentId, string userId) => _members.Contains((segmentId, userId));

    public void Set(string segmentId, string userId, bool member)
    {
        if (member) _members.Add((segmentId, userId));
        else _members.Remove((segmentId, userId));
    }
}
