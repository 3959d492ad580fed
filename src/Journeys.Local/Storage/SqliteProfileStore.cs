using Journeys.Core.Audience;
using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>Profiles as one row per user: the traits object as JSON.</summary>
public sealed class SqliteProfileStore : IProfileStore
{
    // UserIds reads in pages: no reader stays open while the caller works between ids (it may
    // save profiles meanwhile), and a million users are never all in memory at once here.
    private const int UserIdPage = 1024;

    private readonly SqliteDatabase _database;
    private readonly SqliteJson _json = new();
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _save;
    private readonly SqliteCommand _firstIds;
    private readonly SqliteCommand _nextIds;

    public SqliteProfileStore(SqliteDatabase database)
    {
        _database = database;
        _find = database.Prepare("SELECT traits FROM profiles WHERE user_id = $user", "$user");
        _save = database.Prepare(
            "INSERT INTO profiles (user_id, traits) VALUES ($user, $traits) ON CONFLICT (user_id) DO UPDATE SET traits = excluded.traits",
            "$user", "$traits");
        // BINARY compares the UTF-8 bytes, which orders by code point; .NET's ordinal order compares
        // UTF-16 code units. The two agree except between characters above U+FFFF and those in
        // U+E000-U+FFFF, so they agree for every ASCII (and nearly every other) user id.
        _firstIds = database.Prepare($"SELECT user_id FROM profiles ORDER BY user_id COLLATE BINARY LIMIT {UserIdPage}");
        _nextIds = database.Prepare(
            $"SELECT user_id FROM profiles WHERE user_id > $after ORDER BY user_id COLLATE BINARY LIMIT {UserIdPage}", "$after");
    }

    public Profile? Find(string userId)
    {
        _find.Parameters[0].Value = userId;
        using var row = _database.Ready(_find).ExecuteReader();
        return row.Read() ? Profile.Empty(userId).Merge(SqliteJson.Read(row, 0)) : null;
    }

    public void Save(Profile profile)
    {
        _save.Parameters[0].Value = profile.UserId;
        _save.Parameters[1].Value = _json.Write(profile.TraitsValue);
        _database.Ready(_save).ExecuteNonQuery();
    }

    /// <summary>Lazily, a page at a time, after the last id returned (keyset paging on the primary key).</summary>
    public IEnumerable<string> UserIds()
    {
        var page = new List<string>(UserIdPage);
        string? after = null;
        do
        {
            page.Clear();
            SqliteCommand command;
            if (after is null)
            {
                command = _firstIds;
            }
            else
            {
                command = _nextIds;
                command.Parameters[0].Value = after;
            }
            using (var row = _database.Ready(command).ExecuteReader())
            {
                while (row.Read())
                {
                    page.Add(row.GetString(0));
                }
            }
            foreach (var userId in page)
            {
                yield return userId;
            }
            after = page.Count > 0 ? page[^1] : after;
        }
        while (page.Count == UserIdPage);
    }
}
