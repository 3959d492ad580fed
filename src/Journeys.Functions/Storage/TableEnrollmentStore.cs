using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// Enrollments as <c>e|{journey}|{entryNo}</c> (keyed: <c>e|{journey}|{key}|{entryNo}</c>) rows of the user's partition: the state as JSON plus the
/// columns queries filter on (journey, active). The orchestration owns the state; these rows serve the
/// ingestion (active enrollments, entry checks), stop and statistics.
/// </summary>
internal sealed class TableEnrollmentStore(TableClient users) : IEnrollmentStore
{
    public EnrollmentState? Get(string enrollmentId)
    {
        // a keyed id of a user id with ':' reads two ways: the keyed reading first (one point read unless it misses)
        foreach (var user in UserRows.UserCandidates(enrollmentId))
        {
            var row = users.GetEntityIfExists<TableEntity>(user, UserRows.EnrollmentRow(enrollmentId, user));
            if (row.HasValue)
            {
                return ToState(row.Value!);
            }
        }
        return null;
    }

    public EnrollmentState? FindActive(string journeyId, string userId) =>
        users.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(userId)} and {UserRows.Range(UserRows.EnrollmentPrefix(journeyId))} and Active eq true")
            .Select(ToState)
            .FirstOrDefault();

    public IReadOnlyList<EnrollmentState> ActiveFor(string userId) =>
        Oldest(users.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(userId)} and {UserRows.Range("e|")} and Active eq true").Select(ToState));

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) =>
        // a scan across partitions (stop, statistics): not on the event path
        users.Query<TableEntity>($"Journey eq {KeyText.Literal(journeyId)} and Active eq true")
            .Select(ToState)
            .OrderBy(s => s.UserId, StringComparer.Ordinal)
            .ThenBy(s => s.EntryNo)
            .ToList();

    /// <summary>A merge: the row's claim token and stop request, written by others, stay.</summary>
    public void Save(EnrollmentState state) => users.UpsertEntity(ToEntity(state), TableUpdateMode.Merge);

    internal static IReadOnlyList<EnrollmentState> Oldest(IEnumerable<EnrollmentState> states) =>
        states.OrderBy(s => s.EnteredAt).ThenBy(s => s.EnrollmentId, StringComparer.Ordinal).ToList();

    internal static EnrollmentState ToState(TableEntity row) => EnrollmentStateJson.Deserialize(row.GetString("State"));

    internal static TableEntity ToEntity(EnrollmentState state) => new(state.UserId, UserRows.Enrollment(state))
    {
        ["Journey"] = state.JourneyId,
        ["Active"] = state.IsActive,
        ["EnteredAt"] = state.EnteredAt,
        ["State"] = EnrollmentStateJson.Serialize(state),
    };
}
