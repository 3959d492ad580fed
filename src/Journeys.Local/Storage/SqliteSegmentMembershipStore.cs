using Journeys.Core.Runtime;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>A row per (user, segment) the user is in; leaving deletes it.</summary>
public sealed class SqliteSegmentMembershipStore : ISegmentMembershipStore
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _segmentsOf;
    private readonly SqliteCommand _join;
    private readonly SqliteCommand _leave;

    public SqliteSegmentMembershipStore(SqliteDatabase database)
    {
        _database = database;
        _segmentsOf = database.Prepare("SELECT segment_id FROM memberships WHERE user_id = $user", "$user");
        _join = database.Prepare("INSERT OR IGNORE INTO memberships (user_id, segment_id) VALUES ($user, $segment)", "$user", "$segment");
        _leave = database.Prepare("DELETE FROM memberships WHERE user_id = $user AND segment_id = $segment", "$user", "$segment");
    }

    public IReadOnlySet<string> SegmentsOf(string userId)
    {
        _segmentsOf.Parameters[0].Value = userId;
        using var row = _database.Ready(_segmentsOf).ExecuteReader();
        if (!row.Read())
        {
            return None;
        }
        var segments = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            segments.Add(row.GetString(0));
        }
        while (row.Read());
        return segments;
    }

    public void Set(string segmentId, string userId, bool member)
    {
        var command = member ? _join : _leave;
        command.Parameters[0].Value = userId;
        command.Parameters[1].Value = segmentId;
        _database.Ready(command).ExecuteNonQuery();
    }
}
