using Azure.Data.Tables;
using Journeys.Core.Audience;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>Profiles as the <c>p</c> row of each user's partition.</summary>
internal sealed class TableProfileStore(TableClient users) : IProfileStore
{
    public Profile? Find(string userId)
    {
        var row = users.GetEntityIfExists<TableEntity>(userId, UserRows.Profile);
        return row.HasValue ? ToProfile(userId, row.Value!) : null;
    }

    public void Save(Profile profile) =>
        users.UpsertEntity(ToEntity(profile), TableUpdateMode.Replace);

    public IEnumerable<string> UserIds() =>
        users.Query<TableEntity>($"RowKey eq {KeyText.Literal(UserRows.Profile)}", select: ["PartitionKey"])
            .Select(e => e.PartitionKey)
            .Order(StringComparer.Ordinal)
            .ToList();

    internal static Profile ToProfile(string userId, TableEntity row) => Profile.Empty(userId).Merge(TableJson.Read(row.GetString("Traits")));

    internal static TableEntity ToEntity(Profile profile) => new(profile.UserId, UserRows.Profile)
    {
        ["Traits"] = TableJson.Write(profile.TraitsValue),
    };
}
