using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Journeys.Hosting.Api;
using Journeys.Hosting.Publishing;
using Journeys.Hosting.Stats;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Api;

/// <summary>
/// The Functions app's side of the shared API (<see cref="IJourneysBackend"/>) over Table Storage; the HTTP
/// triggers (<see cref="JourneyApi"/>) and the dev host's <c>MapJourneysApi</c> both use it. What it reads:
/// the journeys table (state rows, version rows, segment rows) for list, get, publish and control; for stats
/// one partition of the journeytrace table (every trace record of the journey: counters are computed from
/// them by <see cref="TraceCounters"/>, active = entered minus ended); for the trace, one user's partition of
/// the users table when a user is given, else the journeytrace table. Stop needs a Durable client to tell
/// the enrollments: the one resolved from DI (the dev host), or the trigger's binding (<see cref="With"/>).
/// </summary>
public sealed class TableJourneysBackend(
    DefinitionCatalog catalog, JourneyTables tables, IngestorFactory ingestors, EngineOptions policies, TimeProvider time, ILogger<TableJourneysBackend> log, DurableTaskClient? durable = null)
    : IJourneysBackend
{
    private const string StateRow = "state";
    private const string SegmentPartition = "segment";

    /// <summary>This backend, telling stopped enrollments through <paramref name="client"/>.</summary>
    public TableJourneysBackend With(DurableTaskClient client) => new(catalog, tables, ingestors, policies, time, log, client);

    public Task<IReadOnlyList<JourneySummary>> ListAsync(CancellationToken cancel)
    {
        var served = catalog.Current;
        IReadOnlyList<JourneySummary> list = States()
            .OrderBy(s => s.PartitionKey, StringComparer.Ordinal)
            .Select(s => Summary(s, served.Journey(s.PartitionKey)?.Definition.Name))
            .ToList();
        return Task.FromResult(list);
    }

    public Task<StoredJourney?> GetAsync(string journeyId, CancellationToken cancel)
    {
        if (State(journeyId) is not { } state || catalog.Json(journeyId, Current(state)) is not { } json)
        {
            return Task.FromResult<StoredJourney?>(null);
        }
        var versions = tables.Journeys.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(journeyId)} and RowKey ge 'v' and RowKey lt 'w'", select: ["RowKey"])
            .Select(r => int.Parse(r.RowKey.AsSpan(1), CultureInfo.InvariantCulture))
            .Order()
            .ToList();
        return Task.FromResult<StoredJourney?>(new StoredJourney(Summary(state, NameIn(json)), versions, json));
    }

    public Task<PublishOutcome> PublishAsync(string journeyId, string json, CancellationToken cancel)
    {
        var state = State(journeyId);
        if (state is not null && PublishRules.IsUnchanged(catalog.Json(journeyId, Current(state)), json))
        {
            return Task.FromResult(new PublishOutcome(Current(state), false, [], Status(state)));
        }
        var segments = tables.Journeys.Query<TableEntity>($"PartitionKey eq '{SegmentPartition}'")
            .Select(r => ($"{KeyText.Unescape(r.RowKey)}{DefinitionLoader.SegmentSuffix}", r.GetString("Json")));
        var others = States()
            .Where(s => s.PartitionKey != journeyId)
            .Select(s => (File: PublishRules.FileOf(s.PartitionKey, Current(s)), Json: catalog.Json(s.PartitionKey, Current(s))))
            .Where(j => j.Json is not null)
            .Select(j => (j.File, j.Json!));
        var problems = PublishRules.Check(journeyId, json, segments.ToList(), others.ToList());
        if (problems.Count > 0)
        {
            return Task.FromResult(new PublishOutcome(null, false, problems));
        }
        var (version, refused) = catalog.Publish(journeyId, json);
        if (version is null)
        {
            return Task.FromResult(new PublishOutcome(null, false, refused)); // something changed in between
        }
        if (state?.GetString("Status") is { } word)
        {
            // the catalog rewrites the state row whole: keep the status word beside it (a stopped journey stays stopped)
            tables.Journeys.UpdateEntity(new TableEntity(journeyId, StateRow) { ["Status"] = word }, ETag.All, TableUpdateMode.Merge, cancel);
        }
        log.LogInformation("Journey {Journey} published as version {Version}", journeyId, version);
        return Task.FromResult(new PublishOutcome(version, true, [], state is null ? JourneyStatusText.Active : Status(state)));
    }

    public async Task<JourneySummary?> ControlAsync(string journeyId, JourneyCommand command, CancellationToken cancel)
    {
        // stop pauses first, so no new entry slips in while the stops go out
        if (!catalog.SetPaused(journeyId, paused: command != JourneyCommand.Resume))
        {
            return null;
        }
        var status = command switch
        {
            JourneyCommand.Pause => JourneyStatusText.Paused,
            JourneyCommand.Resume => JourneyStatusText.Active,
            _ => JourneyStatusText.Stopped,
        };
        // the catalog keeps only Paused; the word is kept beside it for the API
        tables.Journeys.UpdateEntity(new TableEntity(journeyId, StateRow) { ["Status"] = status }, ETag.All, TableUpdateMode.Merge, cancel);
        if (command == JourneyCommand.Stop)
        {
            var client = durable ?? throw new InvalidOperationException("stopping a journey needs a Durable client (TableJourneysBackend.With)");
            var signals = new BufferedSignals();
            var stopped = ingestors.Create(signals).Stop(journeyId, time.GetUtcNow());
            await signals.FlushAsync(client, log, cancel).ConfigureAwait(false);
            log.LogInformation("Journey {Journey} stopped: {Stopped} enrollments told to exit", journeyId, stopped);
        }
        else
        {
            log.LogInformation("Journey {Journey} is now {Status}", journeyId, status);
        }
        return State(journeyId) is { } state ? Summary(state, catalog.Current.Journey(journeyId)?.Definition.Name) : null;
    }

    public Task<JourneyCounts?> CountsAsync(string journeyId, CancellationToken cancel)
    {
        if (State(journeyId) is not { } state)
        {
            return Task.FromResult<JourneyCounts?>(null);
        }
        var definition = catalog.Current.Journey(journeyId)?.Definition;
        var splits = definition?.Steps.Where(s => s.Value is SplitStep).Select(s => s.Key).ToHashSet(StringComparer.Ordinal) ?? [];
        var counters = new TraceCounters(splits, policies.GlobalControl);
        foreach (var row in tables.JourneyTrace.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(KeyText.Escape(journeyId))}", select: ["Record"], cancellationToken: cancel))
        {
            counters.Add(row.GetString("Record"));
        }
        return Task.FromResult<JourneyCounts?>(new JourneyCounts(Summary(state, definition?.Name), counters.Active, counters.Counts));
    }

    public Task<TracePage?> TraceAsync(TraceQuery query, CancellationToken cancel)
    {
        string? afterPartition = null, afterRow = null;
        if (query.After is { } cursor)
        {
            var slash = cursor.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) return Task.FromResult<TracePage?>(null);
            (afterPartition, afterRow) = (cursor[..slash], cursor[(slash + 1)..]);
        }
        var filters = new List<string>();
        TableClient table;
        if (query.User is { } user)
        {
            // one user's partition of the users table, its trace rows
            if (afterPartition is not null && afterPartition != user) return Task.FromResult<TracePage?>(null);
            table = tables.Users;
            filters.Add($"PartitionKey eq {KeyText.Literal(user)}");
            filters.Add($"RowKey ge {KeyText.Literal(query.Since is { } since ? "t|" + UserRows.Ticks(since) : "t|")} and RowKey lt 't|~'");
            if (afterRow is not null) filters.Add($"RowKey gt {KeyText.Literal(afterRow)}");
            if (query.Journey is { } journey) filters.Add($"Journey eq {KeyText.Literal(journey)}");
        }
        else
        {
            table = tables.JourneyTrace;
            if (query.Journey is { } journey)
            {
                var partition = KeyText.Escape(journey);
                if (afterPartition is not null && afterPartition != partition) return Task.FromResult<TracePage?>(null);
                filters.Add($"PartitionKey eq {KeyText.Literal(partition)}");
                if (afterRow is not null) filters.Add($"RowKey gt {KeyText.Literal(afterRow)}");
            }
            else if (afterPartition is not null)
            {
                filters.Add($"(PartitionKey gt {KeyText.Literal(afterPartition)} or (PartitionKey eq {KeyText.Literal(afterPartition)} and RowKey gt {KeyText.Literal(afterRow!)}))");
            }
            if (query.Since is { } since) filters.Add($"RowKey ge {KeyText.Literal(JourneyTraceRows.From(since))}");
        }
        var records = new List<string>();
        string? last = null;
        foreach (var row in table.Query<TableEntity>(string.Join(" and ", filters), maxPerPage: Math.Min(query.Limit, 1000), select: ["PartitionKey", "RowKey", "Record"], cancellationToken: cancel))
        {
            records.Add(row.GetString("Record"));
            last = $"{row.PartitionKey}/{row.RowKey}";
            if (records.Count == query.Limit) break;
        }
        return Task.FromResult<TracePage?>(new TracePage(records, last));
    }

    public Task<HealthResponse> HealthAsync(CancellationToken cancel) =>
        Task.FromResult(new HealthResponse("ok", States().Count()));

    /// <summary>The deadletters table (the ingestion's rejected events), from the day of <see cref="RejectedQuery.Since"/>.</summary>
    public Task<RejectedList?> RejectedAsync(RejectedQuery query, CancellationToken cancel)
    {
        var filters = new List<string> { $"PartitionKey ge {KeyText.Literal(query.Since.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture))}" };
        if (query.After is { } cursor)
        {
            var slash = cursor.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0) return Task.FromResult<RejectedList?>(null);
            var (partition, row) = (KeyText.Literal(cursor[..slash]), KeyText.Literal(cursor[(slash + 1)..]));
            filters.Add($"(PartitionKey gt {partition} or (PartitionKey eq {partition} and RowKey gt {row}))");
        }
        var rejected = new List<RejectedRecord>();
        string? last = null;
        foreach (var row in tables.DeadLetters.Query<TableEntity>(string.Join(" and ", filters), maxPerPage: Math.Min(query.Limit, 1000), cancellationToken: cancel))
        {
            var bar = row.RowKey.IndexOf('|', StringComparison.Ordinal);
            var at = bar > 0 && long.TryParse(row.RowKey.AsSpan(0, bar), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : row.Timestamp ?? default;
            if (at < query.Since) continue;
            rejected.Add(new RejectedRecord(at, row.GetString("Source") ?? "", row.GetString("Reason") ?? "", row.GetString("Body") ?? "", row.GetBoolean("Truncated") == true));
            last = $"{row.PartitionKey}/{row.RowKey}";
            if (rejected.Count == query.Limit) break;
        }
        return Task.FromResult<RejectedList?>(new RejectedList(rejected, last));
    }

        private IEnumerable<TableEntity> States() => tables.Journeys.Query<TableEntity>($"RowKey eq '{StateRow}'");

    private TableEntity? State(string journeyId)
    {
        var row = tables.Journeys.GetEntityIfExists<TableEntity>(journeyId, StateRow);
        return row.HasValue ? row.Value : null;
    }

    private static int Current(TableEntity state) => state.GetInt32("Current") ?? 0;

    /// <summary>The word stored by the last control; absent (never controlled): from Paused.</summary>
    private static string Status(TableEntity state)
    {
        var paused = state.GetBoolean("Paused") == true;
        return state.GetString("Status") switch
        {
            JourneyStatusText.Stopped when paused => JourneyStatusText.Stopped,
            _ => paused ? JourneyStatusText.Paused : JourneyStatusText.Active,
        };
    }

    private static JourneySummary Summary(TableEntity state, string? name) => new(state.PartitionKey, name, Current(state), Status(state));

    private static string? NameIn(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
    }
}
