using Journeys.Hosting.Publishing;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>A journey the server serves: its current version and whether it takes entries.</summary>
public sealed record PublishedJourney(string JourneyId, int CurrentVersion, string Status);

/// <summary>One stored version of a journey, as published (the JSON text).</summary>
public sealed record StoredJourneyVersion(string JourneyId, int Version, string Definition, DateTimeOffset PublishedAt);

/// <summary>The journey statuses the server keeps.</summary>
public static class JourneyStatus
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
}

/// <summary>
/// Published journey versions and each journey's status. A version, once written, never changes:
/// enrollments keep running on the version they entered.
/// </summary>
public sealed class SqliteJourneyCatalog
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _all;
    private readonly SqliteCommand _current;
    private readonly SqliteCommand _insertVersion;
    private readonly SqliteCommand _upsertJourney;
    private readonly SqliteCommand _setStatus;
    private readonly SqliteCommand _latest;
    private readonly SqliteCommand _versionNumbers;
    private readonly SqliteCommand _versionKeys;
    private readonly SqliteCommand _definition;

    public SqliteJourneyCatalog(SqliteDatabase database)
    {
        _database = database;
        _all = database.Prepare("SELECT journey_id, current_version, status FROM journeys ORDER BY journey_id COLLATE BINARY");
        _current = database.Prepare(
            """
            SELECT j.journey_id, j.current_version, v.definition, v.published_at FROM journeys j
            JOIN journey_versions v ON v.journey_id = j.journey_id AND v.version = j.current_version
            WHERE j.journey_id = $id
            """,
            "$id");
        _insertVersion = database.Prepare(
            "INSERT INTO journey_versions (journey_id, version, definition, published_at) VALUES ($id, $version, $definition, $at)",
            "$id", "$version", "$definition", "$at");
        _upsertJourney = database.Prepare(
            """
            INSERT INTO journeys (journey_id, current_version, status) VALUES ($id, $version, 'active')
            ON CONFLICT (journey_id) DO UPDATE SET current_version = excluded.current_version
            """,
            "$id", "$version");
        _versionKeys = database.Prepare("SELECT journey_id, version FROM journey_versions ORDER BY journey_id COLLATE BINARY, version");
        _definition = database.Prepare("SELECT definition FROM journey_versions WHERE journey_id = $id AND version = $version", "$id", "$version");
        _versionNumbers = database.Prepare("SELECT version FROM journey_versions WHERE journey_id = $id ORDER BY version", "$id");
        _latest = database.Prepare("SELECT COALESCE(MAX(version), 0) FROM journey_versions WHERE journey_id = $id", "$id");
        _setStatus = database.Prepare("UPDATE journeys SET status = $status WHERE journey_id = $id", "$id", "$status");
    }

    public IReadOnlyList<PublishedJourney> All()
    {
        var list = new List<PublishedJourney>();
        using var row = _database.Ready(_all).ExecuteReader();
        while (row.Read())
        {
            list.Add(new PublishedJourney(row.GetString(0), row.GetInt32(1), row.GetString(2)));
        }
        return list;
    }

    /// <summary>Every stored version's journey and number, by journey then version (without reading their definitions).</summary>
    public IReadOnlyList<(string JourneyId, int Version)> VersionKeys()
    {
        var list = new List<(string, int)>();
        using var row = _database.Ready(_versionKeys).ExecuteReader();
        while (row.Read())
        {
            list.Add((row.GetString(0), row.GetInt32(1)));
        }
        return list;
    }

    /// <summary>One stored version's JSON text.</summary>
    /// <exception cref="KeyNotFoundException">No such version.</exception>
    public string Definition(string journeyId, int version)
    {
        _definition.Parameters[0].Value = journeyId;
        _definition.Parameters[1].Value = version;
        return _database.Ready(_definition).ExecuteScalar() as string ?? throw new KeyNotFoundException($"{journeyId} has no version {version}");
    }

    /// <summary>The journey's version numbers, oldest first (without reading their definitions).</summary>
    public IReadOnlyList<int> VersionNumbers(string journeyId)
    {
        _versionNumbers.Parameters[0].Value = journeyId;
        var list = new List<int>();
        using var row = _database.Ready(_versionNumbers).ExecuteReader();
        while (row.Read())
        {
            list.Add(row.GetInt32(0));
        }
        return list;
    }

    public StoredJourneyVersion? Current(string journeyId)
    {
        _current.Parameters[0].Value = journeyId;
        using var row = _database.Ready(_current).ExecuteReader();
        return row.Read()
            ? new StoredJourneyVersion(row.GetString(0), row.GetInt32(1), row.GetString(2), SqliteTime.FromColumn(row.GetInt64(3)))
            : null;
    }

    /// <summary>
    /// Stores <paramref name="definition"/> as the journey's next version and makes it current, unless
    /// it is the current version's text already (restarting with the same folder publishes nothing).
    /// </summary>
    /// <returns>The current version after the call, and whether it is new.</returns>
    public (int Version, bool Created) Publish(string journeyId, string definition, DateTimeOffset at)
    {
        var current = Current(journeyId);
        if (current is not null && PublishRules.IsUnchanged(current.Definition, definition))
        {
            return (current.Version, false);
        }
        var version = LatestVersion(journeyId) + 1;
        _insertVersion.Parameters[0].Value = journeyId;
        _insertVersion.Parameters[1].Value = version;
        _insertVersion.Parameters[2].Value = definition;
        _insertVersion.Parameters[3].Value = SqliteTime.ToColumn(at);
        _database.Ready(_insertVersion).ExecuteNonQuery();
        _upsertJourney.Parameters[0].Value = journeyId;
        _upsertJourney.Parameters[1].Value = version;
        _database.Ready(_upsertJourney).ExecuteNonQuery();
        return (version, true);
    }

    public void SetStatus(string journeyId, string status)
    {
        _setStatus.Parameters[0].Value = journeyId;
        _setStatus.Parameters[1].Value = status;
        _database.Ready(_setStatus).ExecuteNonQuery();
    }

    private int LatestVersion(string journeyId)
    {
        _latest.Parameters[0].Value = journeyId;
        return Convert.ToInt32(_database.Ready(_latest).ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
