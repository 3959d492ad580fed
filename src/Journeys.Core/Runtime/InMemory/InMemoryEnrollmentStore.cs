using Journeys.Core.Engine;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryEnrollmentStore : IEnrollmentStore
{
    private readonly Dictionary<string, EnrollmentState> _all = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<EnrollmentState>> _activeByUser = new(StringComparer.Ordinal);

    public EnrollmentState? Get(string enrollmentId) => _all.GetValueOrDefault(enrollmentId);

    public EnrollmentState? FindActive(string journeyId, string userId) =>
        _activeByUser.TryGetValue(userId, out var list) ? list.Find(e => e.JourneyId == journeyId) : null;

    public IReadOnlyList<EnrollmentState> ActiveFor(string userId) =>
        _activeByUser.TryGetValue(userId, out var list) ? list.ToArray() : [];

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) =>
        _activeByUser.Values.SelectMany(l => l).Where(e => e.JourneyId == journeyId).OrderBy(e => e.EnrollmentId, StringComparer.Ordinal).ToList();

    public void Save(EnrollmentState state)
    {
        _all[state.EnrollmentId] = state;
        if (!_activeByUser.TryGetValue(state.UserId, out var list))
        {
            _activeByUser[state.UserId] = list = new List<EnrollmentState>(2);
        }
        var index = list.FindIndex(e => e.EnrollmentId == state.EnrollmentId);
        if (state.IsActive)
        {
            if (index >= 0) list[index] = state;
            else list.Add(state);
        }
        else if (index >= 0)
        {
            list.RemoveAt(index);
        }
    }
}
