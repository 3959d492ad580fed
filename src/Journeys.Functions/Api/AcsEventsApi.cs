using Journeys.Core.Runtime;
using Journeys.Functions.Channels;
using Journeys.Functions.Ingestion;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Api;

/// <summary>
/// <c>POST /api/v1/acs/events</c>: the Event Grid subscription on the ACS resource's system topic (infra/) delivers
/// e-mail delivery and engagement reports and SMS delivery reports here (the function key in the webhook URL). The
/// validation handshake is answered with its code; reports become engagement events (<see cref="AcsReports"/>) of the
/// user and enrollment the message belonged to (<see cref="AcsMessageMap"/>), ingested through the Event Hubs
/// trigger's handler. A failure answers 500, so Event Grid delivers again; the events' ids make the repeat harmless.
/// </summary>
public sealed class AcsEventsApi(AcsMessageMap map, EventIngestion ingestion, TimeProvider time, ILogger<AcsEventsApi> log)
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    [Function("AcsEvents")]
    public async Task<IResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/acs/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        await HandleAsync(request, (e, cancel) => ingestion.IngestAsync(e, durable, cancel), request.HttpContext.RequestAborted);

    /// <summary>One delivery (separate from the binding so tests hand it a recorder instead of Durable).</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, Func<Core.Audience.CustomerEvent, CancellationToken, Task<IngestOutcome>> ingest, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(request, MaxBodyBytes, cancel) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {MaxBodyBytes} bytes");
        }
        var reading = AcsReports.Read(body, map.ByOperationId, map.ByTag, time.GetUtcNow());
        if (reading.Error is { } error)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, error);
        }
        if (reading.ValidationCode is { } code)
        {
            log.LogInformation("Event Grid subscription validated");
            return ApiResults.Json(new ValidationResponse(code), AcsEventsJson.Default.ValidationResponse);
        }
        int accepted = 0, duplicates = 0;
        foreach (var engagement in reading.Events)
        {
            if (await ingest(engagement, cancel) == IngestOutcome.Duplicate) duplicates++;
            else accepted++;
        }
        log.LogInformation("ACS reports: {Accepted} accepted, {Duplicates} duplicates, {Skipped} skipped (other event types or messages Journeys did not send)",
            accepted, duplicates, reading.Skipped);
        return ApiResults.Json(new AcsEventsResponse(accepted, duplicates, reading.Skipped), AcsEventsJson.Default.AcsEventsResponse);
    }
}
