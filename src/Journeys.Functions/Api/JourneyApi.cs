using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Api;

/// <summary>
/// The journey admin API of DESIGN §6 (function keys: AuthorizationLevel.Function). Publishing validates
/// against every published segment and journey and makes a new version; running enrollments stay on
/// theirs. Stop raises a stop to every active enrollment of the journey.
/// </summary>
public sealed class JourneyApi(DefinitionCatalog catalog, JourneyTables tables, IngestorFactory ingestors, TimeProvider time, ILogger<JourneyApi> log)
{
    private const int MaxDefinitionBytes = 1024 * 1024;

    [Function("ListJourneys")]
    public Task<HttpResponseData> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys")] HttpRequestData request)
    {
        var list = new JsonArray();
        foreach (var state in catalog.States().OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            list.Add(new JsonObject { ["id"] = state.Id, ["version"] = state.Current, ["paused"] = state.Paused });
        }
        return Json(request, HttpStatusCode.OK, list);
    }

    [Function("GetJourney")]
    public async Task<HttpResponseData> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys/{id}")] HttpRequestData request, string id)
    {
        var state = catalog.States().FirstOrDefault(s => s.Id == id);
        if (state is null || catalog.Json(id, state.Current) is not { } json)
        {
            return await Problem(request, HttpStatusCode.NotFound, $"no journey {id}");
        }
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        response.Headers.Add("Journey-Version", state.Current.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await response.WriteStringAsync(json);
        return response;
    }

    [Function("PublishJourney")]
    public async Task<HttpResponseData> Publish([HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/journeys/{id}")] HttpRequestData request, string id)
    {
        if (await ReadBody(request) is not { } json)
        {
            return await Problem(request, HttpStatusCode.RequestEntityTooLarge, "a definition is at most 1 MiB");
        }
        var (version, problems) = catalog.Publish(id, json);
        if (version is null)
        {
            var list = new JsonArray();
            foreach (var p in problems)
            {
                list.Add(new JsonObject { ["file"] = p.File, ["path"] = p.Path, ["message"] = p.Message });
            }
            return await Json(request, HttpStatusCode.BadRequest, new JsonObject { ["problems"] = list });
        }
        log.LogInformation("Journey {Journey} published as version {Version}", id, version);
        return await Json(request, HttpStatusCode.OK, new JsonObject { ["id"] = id, ["version"] = version });
    }

    [Function("PublishSegment")]
    public async Task<HttpResponseData> PublishSegment([HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/segments/{id}")] HttpRequestData request, string id)
    {
        if (await ReadBody(request) is not { } json)
        {
            return await Problem(request, HttpStatusCode.RequestEntityTooLarge, "a definition is at most 1 MiB");
        }
        var read = DefinitionReader.ReadSegment(id + DefinitionLoader.SegmentSuffix, json);
        if (read.Definition is null || read.Definition.Id != id)
        {
            return await Problem(request, HttpStatusCode.BadRequest, string.Join("; ", read.Problems.Select(p => p.ToString()).DefaultIfEmpty("the id does not match the route")));
        }
        catalog.PublishSegment(id, json);
        return await Json(request, HttpStatusCode.OK, new JsonObject { ["id"] = id });
    }

    [Function("PauseJourney")]
    public Task<HttpResponseData> Pause([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/pause")] HttpRequestData request, string id) =>
        SetPaused(request, id, paused: true);

    [Function("ResumeJourney")]
    public Task<HttpResponseData> Resume([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/resume")] HttpRequestData request, string id) =>
        SetPaused(request, id, paused: false);

    [Function("StopJourney")]
    public async Task<HttpResponseData> Stop(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/stop")] HttpRequestData request,
        [DurableClient] DurableTaskClient durable,
        string id,
        CancellationToken cancellation)
    {
        // paused first, so no new entry slips in while the stops go out
        if (!catalog.SetPaused(id, paused: true))
        {
            return await Problem(request, HttpStatusCode.NotFound, $"no journey {id}");
        }
        var signals = new BufferedSignals();
        var stopped = ingestors.Create(signals).Stop(id, time.GetUtcNow());
        await signals.FlushAsync(durable, log, cancellation);
        log.LogInformation("Journey {Journey} stopped: {Stopped} enrollments told to exit", id, stopped);
        return await Json(request, HttpStatusCode.Accepted, new JsonObject { ["id"] = id, ["stopping"] = stopped });
    }

    [Function("JourneyStats")]
    public async Task<HttpResponseData> Stats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys/{id}/stats")] HttpRequestData request, string id)
    {
        var stats = new JourneyStats();
        // a scan of the journey's trace rows across users: an operator's query, not on the event path
        foreach (var row in tables.Users.Query<TableEntity>($"{UserRows.Range("t|")} and Journey eq {KeyText.Literal(id)}", select: ["Record"]))
        {
            stats.Add(row.GetString("Record"));
        }
        var active = new TableEnrollmentStore(tables.Users).ActiveIn(id).Count();
        return await Json(request, HttpStatusCode.OK, stats.ToJson(id, active));
    }

    [Function("Trace")]
    public async Task<HttpResponseData> Trace([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/trace")] HttpRequestData request)
    {
        var user = request.Query["user"];
        var journey = request.Query["journey"];
        var since = request.Query["since"];
        var filters = new List<string>();
        if (!string.IsNullOrEmpty(user)) filters.Add($"PartitionKey eq {KeyText.Literal(user)}");
        filters.Add(since is { Length: > 0 } && DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var from)
            ? $"RowKey ge {KeyText.Literal("t|" + UserRows.Ticks(from))} and RowKey lt 't|~'"
            : UserRows.Range("t|"));
        if (!string.IsNullOrEmpty(journey)) filters.Add($"Journey eq {KeyText.Literal(journey)}");
        var lines = new StringBuilder();
        foreach (var row in tables.Users.Query<TableEntity>(string.Join(" and ", filters), select: ["Record"]).Take(10_000))
        {
            lines.Append(row.GetString("Record")).Append('\n');
        }
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.Headers.Add("Content-Type", "application/x-ndjson; charset=utf-8");
        await response.WriteStringAsync(lines.ToString());
        return response;
    }

    private async Task<HttpResponseData> SetPaused(HttpRequestData request, string id, bool paused)
    {
        if (!catalog.SetPaused(id, paused))
        {
            return await Problem(request, HttpStatusCode.NotFound, $"no journey {id}");
        }
        return await Json(request, HttpStatusCode.OK, new JsonObject { ["id"] = id, ["paused"] = paused });
    }

    private static async Task<string?> ReadBody(HttpRequestData request)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxDefinitionBytes)
            {
                return null;
            }
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Task<HttpResponseData> Problem(HttpRequestData request, HttpStatusCode status, string message) =>
        Json(request, status, new JsonObject { ["error"] = message });

    private static async Task<HttpResponseData> Json(HttpRequestData request, HttpStatusCode status, JsonNode body)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", "application/json; charset=utf-8");
        await response.WriteStringAsync(body.ToJsonString());
        return response;
    }
}
