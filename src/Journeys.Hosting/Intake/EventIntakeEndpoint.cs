using Journeys.Core.Audience;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Journeys.Hosting.Intake;

/// <summary>
/// A runtime's handler of a <c>/v1/events</c> body's raw elements (the dev host hands them to the handler the Event
/// Hubs trigger calls, which parses them as it parses hub messages); it answers once the accepted ones are durable.
/// </summary>
/// <param name="receivedAt">The receive time of calls without a timestamp.</param>
public delegate Task<IngestResponse> RawEventHandler(BodyElements elements, DateTimeOffset receivedAt, CancellationToken cancel);

/// <summary>
/// <c>POST /v1/events</c> (DESIGN §6): one event, a JSON array or NDJSON; <c>202 {accepted, duplicates, rejected}</c>
/// once the accepted ones are durable; 400 only when the body is not JSON; 413 over the size or batch limit.
/// </summary>
public static class EventIntakeEndpoint
{
    /// <summary>Parses each event here and hands the valid ones to <paramref name="intake"/> (serve's engine loop).</summary>
    /// <param name="v1">The group <see cref="JourneysEndpoints.MapJourneysApi"/> returned (same API key).</param>
    public static RouteHandlerBuilder MapEventIntake(this RouteGroupBuilder v1, IEventIntake intake, long maxBodyBytes, int maxBatchEvents, TimeProvider? time = null) =>
        v1.MapEventIntake((elements, receivedAt, cancel) => IngestAsync(intake, elements, maxBatchEvents, receivedAt, cancel), maxBodyBytes, maxBatchEvents, time);

    /// <summary>Hands each body's elements, unparsed, to <paramref name="handler"/>.</summary>
    public static RouteHandlerBuilder MapEventIntake(this RouteGroupBuilder v1, RawEventHandler handler, long maxBodyBytes, int maxBatchEvents, TimeProvider? time = null) =>
        v1.MapPost("/events", (HttpRequest request, CancellationToken cancel) => PostAsync(handler, request, maxBodyBytes, maxBatchEvents, time ?? TimeProvider.System, cancel));

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

    /// <param name="time">The receive time of calls without a timestamp.</param>
    public static async Task<IResult> PostAsync(RawEventHandler handler, HttpRequest request, long maxBodyBytes, int maxBatchEvents, TimeProvider time, CancellationToken cancel)
    {
        var receivedAt = time.GetUtcNow();
        if (await RequestBody.ReadAsync(request, maxBodyBytes, cancel).ConfigureAwait(false) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBodyBytes} bytes; send smaller batches");
        }
        var (elements, notJson) = EventBatchReader.Split(body, IsNdjson(request.ContentType), maxBatchEvents);
        if (elements is null)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (elements.Count > maxBatchEvents)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {maxBatchEvents} events; send the rest in another request");
        }
        var answer = await handler(elements, receivedAt, cancel).ConfigureAwait(false);
        return ApiResults.Json(answer, ApiJson.Api.IngestResponse, StatusCodes.Status202Accepted);
    }

    private static async Task<IngestResponse> IngestAsync(IEventIntake intake, BodyElements elements, int maxBatchEvents, DateTimeOffset receivedAt, CancellationToken cancel)
    {
        var batch = EventBatchReader.Parse(elements, maxBatchEvents, new EventReceipt(receivedAt));
        var counts = batch.Events.Count == 0 ? default : await intake.IngestAsync(batch.Events, cancel).ConfigureAwait(false);
        return new IngestResponse(counts.Accepted, counts.Duplicates, batch.Rejected);
    }
}
