using Journeys.Core.Audience;
using Journeys.Functions.Api;
using Journeys.Functions.Ingestion;
using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The dev host's HTTP routes: the admin and read routes of <c>serve</c> and the Functions app (one
/// implementation, <see cref="JourneysEndpoints.MapJourneysApi{TBackend}"/> over the app's Table backend), and
/// <c>POST /v1/events</c>, which hands each request to the handler the Event Hubs trigger calls, as one batch.
/// </summary>
public static class DevHostEndpoints
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;
    public const int MaxBatchEvents = 10_000;

    public static void Map(WebApplication app)
    {
        var v1 = app.MapJourneysApi<TableJourneysBackend>();
        v1.MapPost("/events", PostEventsAsync);
        TrackingApi.MapAzureTracking(app); // built-in tracking's /t/o and /t/c, anonymous (Functions/Api/TrackingApi)
    }

    /// <summary>The request's events, each as its raw JSON text (what an Event Hubs message carries), to the ingestion handler.</summary>
    private static async Task<IResult> PostEventsAsync(HttpRequest request, EventIngestion ingestion, DurableTaskClient durable, ILogger<EventIngestion> log, CancellationToken cancellation)
    {
        if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancellation) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes; send smaller batches");
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        var (events, notJson) = EventBody.Split(body, ndjson: mediaType is "application/x-ndjson" or "application/jsonl" or "application/jsonlines");
        if (events is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (events.Count > MaxBatchEvents)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {MaxBatchEvents} events; send the rest in another request");
        }
        var counts = events.Count == 0 ? default : await ingestion.IngestAsync(events, durable, cancellation);
        // a rejected event is also in the dead-letter table with its raw body (GET /v1/rejected)
        var rejected = (counts.DeadLetteredAt ?? [])
            .Select(d => new RejectedEvent(d.Index, EventParser.Parse(events[d.Index]).MessageId, d.Reason))
            .ToList();
        log.LogInformation("Ingested a request of {Count} events: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
            events.Count, counts.Accepted, counts.Duplicates, rejected.Count);
        return ApiResults.Json(new IngestResponse(counts.Accepted, counts.Duplicates, rejected), ApiJson.Api.IngestResponse, StatusCodes.Status202Accepted);
    }
}
