using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Journeys.Hosting.Intake;

/// <summary>
/// <c>POST /v1/events</c> (DESIGN §6): one event, a JSON array or NDJSON; <c>202 {accepted, duplicates, rejected}</c>
/// once the accepted ones are durable; 400 only when the body is not JSON; 413 over the size or batch limit.
/// </summary>
public static class EventIntakeEndpoint
{
    /// <param name="v1">The group <see cref="JourneysEndpoints.MapJourneysApi"/> returned (same API key).</param>
    public static RouteHandlerBuilder MapEventIntake(this RouteGroupBuilder v1, IEventIntake intake, long maxBodyBytes, int maxBatchEvents) =>
        v1.MapPost("/events", (HttpRequest request, CancellationToken cancel) => PostAsync(intake, request, maxBodyBytes, maxBatchEvents, cancel));

    public static async Task<IResult> PostAsync(IEventIntake intake, HttpRequest request, long maxBodyBytes, int maxBatchEvents, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(request, maxBodyBytes, cancel).ConfigureAwait(false) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBodyBytes} bytes; send smaller batches");
        }
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        var ndjson = mediaType is "application/x-ndjson" or "application/jsonl" or "application/jsonlines";
        var (batch, notJson) = EventBatchReader.Read(body, ndjson, maxBatchEvents);
        if (batch is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (batch.Count > maxBatchEvents)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {maxBatchEvents} events; send the rest in another request");
        }
        var counts = batch.Events.Count == 0 ? default : await intake.IngestAsync(batch.Events, cancel).ConfigureAwait(false);
        return ApiResults.Json(new IngestResponse(counts.Accepted, counts.Duplicates, batch.Rejected), ApiJson.Api.IngestResponse, StatusCodes.Status202Accepted);
    }
}
