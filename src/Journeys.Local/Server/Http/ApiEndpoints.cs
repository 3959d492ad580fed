using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Local.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Journeys.Local.Server.Http;

/// <summary>The HTTP API of DESIGN §6 as minimal-API routes.</summary>
public static class ApiEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";
    private const int DefaultTraceLimit = 1_000;
    private const int MaxTraceLimit = 10_000;

    public static void Map(WebApplication app, ServerOptions options, EngineHost engine, ReadModelGate reads)
    {
        app.MapGet("/healthz", () =>
        {
            var outbox = reads.Read(r => r.OutboxCounts());
            return Json(new HealthResponse("ok", engine.Journeys.Count, outbox.GetValueOrDefault(SqliteOutbox.Pending), outbox.GetValueOrDefault(SqliteOutbox.Failed)),
                ApiJson.Api.HealthResponse);
        });

        var v1 = app.MapGroup("/v1");
        if (options.ApiKey is { Length: > 0 } key)
        {
            var expected = Encoding.UTF8.GetBytes(key);
            v1.AddEndpointFilter(async (context, next) =>
            {
                var given = context.HttpContext.Request.Headers[ApiKeyHeader].ToString();
                return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected)
                    ? await next(context).ConfigureAwait(false)
                    : Error(StatusCodes.Status401Unauthorized, $"missing or wrong {ApiKeyHeader} header");
            });
        }

        v1.MapPost("/events", (HttpRequest request, CancellationToken cancel) => PostEventsAsync(request, options, engine, cancel));

        v1.MapGet("/journeys", () => Json(
            engine.Journeys.Select(j => new JourneySummary(j.JourneyId, engine.Definitions.Journey(j.JourneyId)?.Definition.Name, j.CurrentVersion, j.Status)).ToList(),
            ApiJson.Api.IReadOnlyListJourneySummary));

        v1.MapGet("/journeys/{id}", (string id) =>
        {
            var detail = reads.Read(r =>
            {
                if (r.Catalog.Current(id) is not { } current) return null;
                var versions = r.Catalog.VersionNumbers(id);
                var status = r.Catalog.All().First(j => j.JourneyId == id).Status;
                using var definition = JsonDocument.Parse(current.Definition);
                var name = definition.RootElement.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
                return new JourneyDetail(id, name, current.Version, status, versions, definition.RootElement.Clone());
            });
            return detail is null ? UnknownJourney(id) : Json(detail, ApiJson.Api.JourneyDetail);
        });

        v1.MapPut("/journeys/{id}", (string id, HttpRequest request, CancellationToken cancel) => PublishAsync(id, request, options, engine, cancel));

        v1.MapPost("/journeys/{id}/pause", (string id, CancellationToken cancel) => ControlAsync(id, JourneyStatus.Paused, engine, cancel));
        v1.MapPost("/journeys/{id}/resume", (string id, CancellationToken cancel) => ControlAsync(id, JourneyStatus.Active, engine, cancel));
        v1.MapPost("/journeys/{id}/stop", (string id, CancellationToken cancel) => ControlAsync(id, JourneyStatus.Stopped, engine, cancel));

        v1.MapGet("/journeys/{id}/stats", (string id) =>
        {
            var journey = engine.Journeys.FirstOrDefault(j => j.JourneyId == id);
            if (journey is null) return UnknownJourney(id);
            var counters = reads.Read(r => r.Counters(id));
            return Json(JourneyStatsBuilder.Build(journey, counters), ApiJson.Api.JourneyStats);
        });

        v1.MapGet("/trace", (HttpContext context) => TraceAsync(context, reads));
    }

    private static async Task<IResult> PostEventsAsync(HttpRequest request, ServerOptions options, EngineHost engine, CancellationToken cancel)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            return TooLarge(options);
        }
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, options.MaxBodyBytes, cancel).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            return TooLarge(options);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(options);
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        var ndjson = mediaType is "application/x-ndjson" or "application/jsonl" or "application/jsonlines";
        var (batch, notJson) = EventBatchReader.Read(body, ndjson, options.MaxBatchEvents);
        if (batch is null)
        {
            return Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (batch.Count > options.MaxBatchEvents)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {options.MaxBatchEvents} events; send the rest in another request");
        }
        var counts = batch.Events.Count == 0 ? default : await engine.IngestAsync(batch.Events, cancel).ConfigureAwait(false);
        return Results.Json(new IngestResponse(counts.Accepted, counts.Duplicates, batch.Rejected), ApiJson.Api.IngestResponse,
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> PublishAsync(string id, HttpRequest request, ServerOptions options, EngineHost engine, CancellationToken cancel)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(request, DefinitionLoader.MaxFileBytes, cancel).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"a definition is at most {DefinitionLoader.MaxFileBytes / 1024 / 1024} MiB");
        }
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return Error(StatusCodes.Status400BadRequest, "the body is not UTF-8 text");
        }
        var outcome = await engine.PublishAsync(id, json, cancel).ConfigureAwait(false);
        if (outcome.Version is not { } version)
        {
            return Results.Json(
                new ErrorResponse($"journey '{id}' is invalid; nothing was published",
                    outcome.Problems.Select(p => new ProblemItem(p.File, p.Path, p.Message)).ToList()),
                ApiJson.Api.ErrorResponse, statusCode: StatusCodes.Status400BadRequest);
        }
        var status = engine.Journeys.FirstOrDefault(j => j.JourneyId == id)?.Status ?? JourneyStatus.Active;
        return Results.Json(new PublishResponse(id, version, outcome.Created, status), ApiJson.Api.PublishResponse,
            statusCode: outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task<IResult> ControlAsync(string id, string status, EngineHost engine, CancellationToken cancel)
    {
        if (!await engine.ControlAsync(id, status, cancel).ConfigureAwait(false))
        {
            return UnknownJourney(id);
        }
        var journey = engine.Journeys.First(j => j.JourneyId == id);
        return Results.Json(new JourneySummary(id, engine.Definitions.Journey(id)?.Definition.Name, journey.CurrentVersion, journey.Status),
            ApiJson.Api.JourneySummary);
    }

    private static async Task TraceAsync(HttpContext context, ReadModelGate reads)
    {
        var query = context.Request.Query;
        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!EventParser.TryParseTimestamp(sinceText, out var parsed))
            {
                await Error(StatusCodes.Status400BadRequest, $"since: '{sinceText}' is not an ISO 8601 date-time with an offset").ExecuteAsync(context).ConfigureAwait(false);
                return;
            }
            since = parsed;
        }
        var limit = DefaultTraceLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText && (!int.TryParse(limitText, out limit) || limit < 1 || limit > MaxTraceLimit))
        {
            await Error(StatusCodes.Status400BadRequest, $"limit: must be a whole number from 1 to {MaxTraceLimit}").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        long after = 0;
        if (query["after"].ToString() is { Length: > 0 } afterText && !long.TryParse(afterText, out after))
        {
            await Error(StatusCodes.Status400BadRequest, "after: must be a whole number (a row number from the X-Trace-Last header)").ExecuteAsync(context).ConfigureAwait(false);
            return;
        }
        var user = query["user"].ToString() is { Length: > 0 } u ? u : null;
        var journey = query["journey"].ToString() is { Length: > 0 } j ? j : null;
        var rows = reads.Read(r => r.Trace(user, journey, since, after, limit));
        context.Response.ContentType = "application/x-ndjson; charset=utf-8";
        if (rows.Count > 0)
        {
            // for paging: ?after= this value returns the next records
            context.Response.Headers["X-Trace-Last"] = rows[^1].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var text = new StringBuilder();
        foreach (var (_, record) in rows)
        {
            text.Append(record).Append('\n');
        }
        await context.Response.WriteAsync(text.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        using var buffer = new MemoryStream(request.ContentLength is { } length && length <= limit ? (int)length : 64 * 1024);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BodyTooLargeException();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private sealed class BodyTooLargeException : Exception;

    private static IResult TooLarge(ServerOptions options) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {options.MaxBodyBytes} bytes; send smaller batches");

    private static IResult UnknownJourney(string id) => Error(StatusCodes.Status404NotFound, $"no journey '{id}'");

    public static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), ApiJson.Api.ErrorResponse, statusCode: status);

    private static IResult Json<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) => Results.Json(value, type);
}
