using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using Journeys.Core.Audience;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>The dev host's HTTP routes: <c>serve</c>'s event intake and shapes, over the Functions app's handler.</summary>
public static class DevHostEndpoints
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;
    public const int MaxBatchEvents = 10_000;
    private const int MaxTraceRecords = 10_000;

    public static void Map(WebApplication app)
    {
        app.MapGet("/healthz", (DefinitionCatalog catalog) =>
            Results.Json(new HealthResponse("ok", catalog.States().Count), DevHostJson.Default.HealthResponse));

        app.MapPost("/v1/events", PostEventsAsync);

        // ADMIN ROUTES: journeys, publish, pause/resume/stop, stats, rejected events come from the hosting library
        // shared with serve and the Functions app (in the works); map them here, in place of this minimal trace.
        app.MapGet("/v1/trace", TraceAsync);
    }

    /// <summary>The request's events as one batch to the handler the Event Hubs trigger calls.</summary>
    private static async Task<IResult> PostEventsAsync(HttpRequest request, EventIngestion ingestion, DurableTaskClient durable, ILogger<EventIngestion> log, CancellationToken cancellation)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes; send smaller batches");
        }
        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await request.Body.CopyToAsync(buffer, cancellation);
            if (buffer.Length > MaxBodyBytes)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes; send smaller batches");
            }
            body = buffer.ToArray();
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        var (events, notJson) = EventBody.Split(body, ndjson: mediaType is "application/x-ndjson" or "application/jsonl" or "application/jsonlines");
        if (events is null)
        {
            return Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (events.Count > MaxBatchEvents)
        {
            return Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {MaxBatchEvents} events; send the rest in another request");
        }
        var counts = events.Count == 0 ? default : await ingestion.IngestAsync(events, durable, cancellation);
        var rejected = (counts.DeadLetteredAt ?? [])
            .Select(d => new RejectedEvent(d.Index, EventParser.Parse(events[d.Index]).MessageId, d.Reason))
            .ToList();
        log.LogInformation("Ingested a request of {Count} events: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
            events.Count, counts.Accepted, counts.Duplicates, rejected.Count);
        return Results.Json(new IngestResponse(counts.Accepted, counts.Duplicates, rejected), DevHostJson.Default.IngestResponse,
            statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>Trace records as JSON lines, from the users table's trace rows (the Functions app's query).</summary>
    private static async Task TraceAsync(HttpContext context, JourneyTables tables)
    {
        var query = context.Request.Query;
        var user = query["user"].ToString();
        var journey = query["journey"].ToString();
        var filters = new List<string>();
        if (user.Length > 0) filters.Add($"PartitionKey eq {KeyText.Literal(user)}");
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!EventParser.TryParseTimestamp(sinceText, out var since))
            {
                await Error(StatusCodes.Status400BadRequest, $"since: '{sinceText}' is not an ISO 8601 date-time with an offset").ExecuteAsync(context);
                return;
            }
            filters.Add($"RowKey ge {KeyText.Literal("t|" + UserRows.Ticks(since))} and RowKey lt 't|~'");
        }
        else
        {
            filters.Add(UserRows.Range("t|"));
        }
        if (journey.Length > 0) filters.Add($"Journey eq {KeyText.Literal(journey)}");
        var lines = new StringBuilder();
        foreach (var row in tables.Users.Query<TableEntity>(string.Join(" and ", filters), select: ["Record"]).Take(MaxTraceRecords))
        {
            lines.Append(row.GetString("Record")).Append('\n');
        }
        context.Response.ContentType = "application/x-ndjson; charset=utf-8";
        await context.Response.WriteAsync(lines.ToString(), context.RequestAborted);
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), DevHostJson.Default.ErrorResponse, statusCode: status);
}
