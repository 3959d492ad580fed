using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;

namespace Journeys.Functions.Storage;

/// <summary>
/// Published definitions in the journeys table. A journey's versions are rows <c>(journey id, v{n:D6})</c>
/// that never change once written, plus one <c>state</c> row (current version, paused); segments are rows
/// <c>(segment, {id})</c>. The compiled set (for ingestion and the API) is cached and reloaded when older than
/// a minute. Orchestrations never read it: they get a version's text with an execution's first pull activity
/// (<see cref="Source"/>), so no storage is read in orchestrator code.
/// </summary>
public sealed class DefinitionCatalog(JourneyTables tables, TimeProvider time)
{
    private const string SegmentPartition = "segment";
    private const string StateRow = "state";
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private Loaded? _loaded;

    public DefinitionSet Current => Load(force: false).Set;

    public bool IsPaused(string journeyId) => Load(force: false).Paused.Contains(journeyId);

    /// <summary>The enrollment activities' definition source (an execution's first pull, <c>LoadJourneyDefinition</c>).</summary>
    public DefinitionSource? Source(DefinitionRequest request) => Source(request.JourneyId, request.Version);

    /// <summary>A published version's text and every segment's, for an orchestration to compile (two reads).</summary>
    public DefinitionSource? Source(string journeyId, int version) =>
        Json(journeyId, version) is { } json ? new DefinitionSource(journeyId, version, json, Segments().Select(s => s.Json).ToList()) : null;

    /// <summary>The journeys with their state rows, for the admin API.</summary>
    public IReadOnlyList<JourneyState> States() =>
        tables.Journeys.Query<TableEntity>($"RowKey eq '{StateRow}'").Select(ToState).ToList();

    public string? Json(string journeyId, int version)
    {
        var row = tables.Journeys.GetEntityIfExists<TableEntity>(journeyId, VersionRow(version));
        return row.HasValue ? row.Value!.GetString("Json") : null;
    }

    /// <summary>Validates <paramref name="json"/> with every published segment and journey; publishes it as a new version.</summary>
    /// <returns>The new version, or the problems (nothing is written then).</returns>
    public (int? Version, IReadOnlyList<DefinitionProblem> Problems) Publish(string journeyId, string json)
    {
        var sources = Segments().Select(s => ($"{s.Id}{DefinitionLoader.SegmentSuffix}", s.Json)).ToList();
        sources.AddRange(CurrentJourneys().Where(j => j.Id != journeyId).Select(j => ($"{j.Id}{DefinitionLoader.JourneySuffix}", j.Json)));
        sources.Add(($"{journeyId}{DefinitionLoader.JourneySuffix}", json));
        var loaded = DefinitionLoader.Load(sources);
        if (!loaded.IsValid)
        {
            return (null, loaded.Problems);
        }
        if (loaded.Journeys.FirstOrDefault(j => j.Id == journeyId) is not { } published)
        {
            throw new ArgumentException("the definition's id does not match the route");
        }
        while (true)
        {
            var state = tables.Journeys.GetEntityIfExists<TableEntity>(journeyId, StateRow);
            var version = (state.HasValue ? state.Value!.GetInt32("Current") ?? 0 : 0) + 1;
            var next = new TableEntity(journeyId, StateRow) { ["Current"] = version, ["Paused"] = state.HasValue && state.Value!.GetBoolean("Paused") == true };
            try
            {
                tables.Journeys.SubmitTransaction([
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(journeyId, VersionRow(version)) { ["Json"] = json, ["PublishedAt"] = time.GetUtcNow() }),
                    state.HasValue
                        ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, state.Value!.ETag)
                        : new TableTransactionAction(TableTransactionActionType.Add, next),
                ]);
                Load(force: true);
                return (version, []);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                // a concurrent publish took this number
            }
        }
    }

    public void PublishSegment(string segmentId, string json) =>
        tables.Journeys.UpsertEntity(new TableEntity(SegmentPartition, KeyText.Escape(segmentId)) { ["Json"] = json }, TableUpdateMode.Replace);

    /// <returns>False when the journey does not exist.</returns>
    public bool SetPaused(string journeyId, bool paused)
    {
        try
        {
            tables.Journeys.UpdateEntity(new TableEntity(journeyId, StateRow) { ["Paused"] = paused }, ETag.All, TableUpdateMode.Merge);
            Load(force: true);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return false;
        }
    }

    private Loaded Load(bool force)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (!force && _loaded is { } cached && now - cached.At < MaxAge)
            {
                return cached;
            }
            var segments = Segments();
            var current = new List<JourneyVersion>();
            var retired = new List<JourneyVersion>();
            var paused = new HashSet<string>(StringComparer.Ordinal);
            var states = States().ToDictionary(s => s.Id, StringComparer.Ordinal);
            var segmentDefinitions = segments
                .Select(s => DefinitionReader.ReadSegment(s.Id + DefinitionLoader.SegmentSuffix, s.Json).Definition)
                .OfType<SegmentDefinition>()
                .ToList();
            foreach (var row in tables.Journeys.Query<TableEntity>($"PartitionKey ne '{SegmentPartition}' and RowKey ge 'v' and RowKey lt 'w'"))
            {
                if (DefinitionReader.ReadJourney(row.PartitionKey + DefinitionLoader.JourneySuffix, row.GetString("Json")).Definition is not { } definition)
                {
                    continue; // validated when published; a row that no longer reads is skipped, not fatal
                }
                var version = int.Parse(row.RowKey.AsSpan(1), CultureInfo.InvariantCulture);
                var isCurrent = states.TryGetValue(row.PartitionKey, out var state) && state.Current == version;
                (isCurrent ? current : retired).Add(new JourneyVersion(definition, version));
            }
            foreach (var state in states.Values.Where(s => s.Paused))
            {
                paused.Add(state.Id);
            }
            _loaded = new Loaded(now, new DefinitionSet(segmentDefinitions, current, retired), paused);
            return _loaded;
        }
    }

    private List<(string Id, string Json)> Segments() =>
        tables.Journeys.Query<TableEntity>($"PartitionKey eq '{SegmentPartition}'")
            .Select(r => (KeyText.Unescape(r.RowKey), r.GetString("Json")))
            .ToList();

    private List<(string Id, string Json)> CurrentJourneys() =>
        States().Select(s => (s.Id, Json(s.Id, s.Current))).Where(j => j.Item2 is not null).Select(j => (j.Id, j.Item2!)).ToList();

    private static string VersionRow(int version) => "v" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static JourneyState ToState(TableEntity row) => new(row.PartitionKey, row.GetInt32("Current") ?? 0, row.GetBoolean("Paused") == true);

    private sealed record Loaded(DateTimeOffset At, DefinitionSet Set, IReadOnlySet<string> Paused);
}

/// <summary>A published journey: its current version and whether it takes entries.</summary>
public sealed record JourneyState(string Id, int Current, bool Paused);
