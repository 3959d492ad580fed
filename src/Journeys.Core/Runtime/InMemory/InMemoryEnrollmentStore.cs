using Journeys.Core.Engine;

namespace Journeys.Core.Runtime.InMemory;

public sealed class InMemoryEnrollmentStore : IEnrollmentStore
{
    private readonly Dictionary<string, EnrollmentState> _all = new(StringComparer.Ordinal);
    private readonly InMemoryUsers _users;
    private readonly bool _keepFinished;

    public InMemoryEnrollmentStore() : this(new InMemoryUsers(), keepFinished: true) { }

    /// <param name="keepFinished">False: <see cref="Get"/> forgets an enrollment once it ends (the replay's stores, <see cref="InMemoryStores.ForReplay"/>).</param>
    internal InMemoryEnrollmentStore(InMemoryUsers users, bool keepFinished)
    {
        _users = users;
        _keepFinished = keepFinished;
    }

    public EnrollmentState? Get(string enrollmentId) => _all.GetValueOrDefault(enrollmentId);

    public EnrollmentState? FindActive(string journeyId, string userId)
    {
        var list = _users.Find(userId)?.Active;
        if (list is null) return null;
        foreach (var state in list)
        {
            if (state.JourneyId == journeyId) return state;
        }
        return null;
    }

    /// <summary>A copy: the caller advances them, which saves back into the list.</summary>
    public IReadOnlyList<EnrollmentState> ActiveFor(string userId) =>
        _users.Find(userId)?.Active is { Count: > 0 } list ? list.ToArray() : [];

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) =>
        _users.All.SelectMany(u => u.Value.Active ?? []).Where(e => e.JourneyId == journeyId)
            .OrderBy(e => e.EnrollmentId, StringComparer.Ordinal).ToList();

    public void Save(EnrollmentState state)
    {
        if (state.IsActive || _keepFinished)
        {
            _all[state.EnrollmentId] = state;
        }
        else
        {
            _all.Remove(state.EnrollmentId);
        }
        var list = _users.Get(state.UserId).Active ??= new List<EnrollmentState>(2);
        var index = -1;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].EnrollmentId == state.EnrollmentId)
            {
                index = i;
                break;
            }
        }
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
