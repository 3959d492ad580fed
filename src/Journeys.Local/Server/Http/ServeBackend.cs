using System.Globalization;
using System.Text.Json;
using Journeys.Hosting.Api;
using Journeys.Local.Storage;

namespace Journeys.Local.Server.Http;

/// <summary>
/// serve's side of the shared API (<see cref="IJourneysBackend"/>): actions go through the engine loop (the
/// one writer), reads through the API's own read connection. Counters are kept on the write path
/// (<c>stats</c> table), active enrollments counted by index; the trace cursor is the row number.
/// </summary>
public sealed class ServeBackend(EngineHost engine, ReadModelGate reads) : IJourneysBackend
{
    public Task<IReadOnlyList<JourneySummary>> ListAsync(CancellationToken cancel) =>
        Task.FromResult<IReadOnlyList<JourneySummary>>(engine.Journeys.Select(Summary).ToList());

    public Task<StoredJourney?> GetAsync(string journeyId, CancellationToken cancel) => Task.FromResult(reads.Read(r =>
    {
        if (r.Catalog.Current(journeyId) is not { } current) return null;
        var versions = r.Catalog.VersionNumbers(journeyId);
        var status = r.Catalog.All().First(j => j.JourneyId == journeyId).Status;
        using var definition = JsonDocument.Parse(current.Definition);
        // the name as stored in this version's text (a retired one may differ from the served set's)
        var name = definition.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        return new StoredJourney(new JourneySummary(journeyId, name, current.Version, status), versions, current.Definition);
    }));

    public async Task<PublishOutcome> PublishAsync(string journeyId, string json, CancellationToken cancel)
    {
        var outcome = await engine.PublishAsync(journeyId, json, cancel).ConfigureAwait(false);
        var status = engine.Journeys.FirstOrDefault(j => j.JourneyId == journeyId)?.Status ?? JourneyStatus.Active;
        return outcome with { Status = status };
    }

    public async Task<JourneySummary?> ControlAsync(string journeyId, JourneyCommand command, CancellationToken cancel)
    {
        var status = command switch
        {
            JourneyCommand.Pause => JourneyStatus.Paused,
            JourneyCommand.Resume => JourneyStatus.Active,
            _ => JourneyStatus.Stopped,
        };
        if (!await engine.ControlAsync(journeyId, status, cancel).ConfigureAwait(false))
        {
            return null;
        }
        return Summary(engine.Journeys.First(j => j.JourneyId == journeyId));
    }

    public Task<JourneyCounts?> CountsAsync(string journeyId, CancellationToken cancel)
    {
        if (engine.Journeys.FirstOrDefault(j => j.JourneyId == journeyId) is not { } journey)
        {
            return Task.FromResult<JourneyCounts?>(null);
        }
        var counters = reads.Read(r => r.Counters(journeyId));
        return Task.FromResult<JourneyCounts?>(new JourneyCounts(Summary(journey), counters.Active, counters.Counts));
    }

    public Task<TracePage?> TraceAsync(TraceQuery query, CancellationToken cancel)
    {
        long after = 0;
        if (query.After is { } cursor && (!long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after)))
        {
            return Task.FromResult<TracePage?>(null);
        }
        var rows = reads.Read(r => r.Trace(query.User, query.Journey, query.Since, after, query.Limit));
        var last = rows.Count > 0 ? rows[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult<TracePage?>(new TracePage(rows.Select(r => r.Record).ToList(), last));
    }

    public Task<HealthResponse> HealthAsync(CancellationToken cancel)
    {
        var outbox = reads.Read(r => r.OutboxCounts());
        return Task.FromResult(new HealthResponse("ok", engine.Journeys.Count, outbox.GetValueOrDefault(SqliteOutbox.Pending), outbox.GetValueOrDefault(SqliteOutbox.Failed)));
    }

    /// <summary>The calls the SDK routes could not take (<c>POST /v1/events</c> answers its own by index); the cursor is the row number.</summary>
    public Task<RejectedList?> RejectedAsync(RejectedQuery query, CancellationToken cancel)
    {
        long after = 0;
        if (query.After is { } cursor && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            after = long.MaxValue; // not a cursor this backend gave: an empty page
        }
        var rows = reads.Read(r => r.Rejected(query.Since, after, query.Limit));
        var last = rows.Count > 0 ? rows[^1].Seq.ToString(CultureInfo.InvariantCulture) : null;
        return Task.FromResult<RejectedList?>(new RejectedList(rows.Select(r => r.Record).ToList(), last));
    }

    private JourneySummary Summary(PublishedJourney journey) =>
        new(journey.JourneyId, engine.Definitions.Journey(journey.JourneyId)?.Definition.Name, journey.CurrentVersion, journey.Status);
}
