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
    public static RouteHandlerBuilder MapEventIntake(this RouteGroupBuilder v1, IEventIntake intake, long maxBodyBytes, int maxBatchEvents, TimeProvider? time = null) =>
        v1.MapPost("/events", (HttpRequest request, CancellationToken cancel) => PostAsync(intake, request, maxBodyBytes, maxBatchEvents, time ?? TimeProvider.System, cancel));

    /// <summary>NDJSON by media type, in any letter case and with any parameters (<c>charset</c>).</summary>
    public static bool IsNdjson(string? contentType)
    {
        var mediaType = contentType?.Split(';')[0].Trim();
        return mediaType is not null && (mediaType.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/jsonlines", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/x-jsonlines", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<IResult> PostAsync(IEventIntake intake, HttpRequest request, long maxBodyBytes, int maxBatchEvents, CancellationToken cancel) =>
        await PostAsync(intake, request, maxBodyBytes, maxBatchEvents, TimeProvider.System, cancel).ConfigureAwait(false);

    /// <param name="time">The receive time of calls without a timestamp.</param>
    public static async Task<IResult> PostAsync(IEventIntake intake, HttpRequest request, long maxBodyBytes, int maxBatchEvents, TimeProvider time, CancellationToken cancel)
    {
        var receivedAt = time.GetUtcNow();
        if (await RequestBody.ReadAsync(request, maxBodyBytes, cancel).ConfigureAwait(false) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBodyBytes} bytes; send smaller batches");
        }
        var ndjson = IsNdjson(request.ContentType);
        var (batch, notJson) = EventBatchReader.Read(body, ndjson, maxBatchEvents, new Journeys.Core.Audience.EventReceipt(receivedAt));
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
