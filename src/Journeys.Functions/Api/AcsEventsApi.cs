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
/// ACS e-mail delivery and engagement reports and SMS delivery reports, delivered by Event Grid from the ACS resource's
/// system topic, two ways with one handling: reports become engagement events (<see cref="AcsReports"/>) of the user
/// and enrollment the message belonged to (<see cref="AcsMessageMap"/>), ingested through the Event Hubs trigger's
/// handler; the events' ids make a redelivery harmless.
/// <list type="bullet">
/// <item>The <c>acs-reports</c> storage queue (what infra/ subscribes: Event Grid writes with a managed identity, so
/// no key exists anywhere, and the queue exists before the code, so the first <c>azd up</c> works). A message that
/// fails is retried by the queue and lands in <c>acs-reports-poison</c> after five tries.</item>
/// <item><c>POST /api/v1/acs/events</c> for a webhook subscription (the function key in its URL): the validation
/// handshake is answered with its code; a failure answers 500, so Event Grid delivers again.</item>
/// </list>
/// </summary>
public sealed class AcsEventsApi(AcsMessageMap map, EventIngestion ingestion, TimeProvider time, ILogger<AcsEventsApi> log)
{
    public const long MaxBodyBytes = 4 * 1024 * 1024;

    [Function("AcsEvents")]
    public async Task<IResult> Receive(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/acs/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) =>
        await HandleAsync(request, (e, cancel) => ingestion.IngestAsync(e, durable, cancel), request.HttpContext.RequestAborted);

    public const string Queue = "acs-reports";

    /// <summary>One Event Grid event per message (Event Grid's storage-queue delivery), as raw JSON or base64 of it.</summary>
    [Function("AcsReportsQueue")]
    public async Task FromQueue(
        [QueueTrigger(Queue, Connection = "AzureWebJobsStorage")] string message,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellation)
    {
        var reading = AcsReports.Read(QueueBody(message), map.ByOperationId, map.ByTag, time.GetUtcNow());
        if (reading.Error is { } error)
        {
            throw new InvalidDataException($"{Queue} message: {error}"); // retried, then kept in the poison queue
        }
        foreach (var engagement in reading.Events)
        {
            await ingestion.IngestAsync(engagement, durable, cancellation);
        }
        log.LogInformation("ACS report from the queue: {Events} events, {Skipped} skipped", reading.Events.Count, reading.Skipped);
    }

    /// <summary>A queue message as the array <see cref="AcsReports.Read"/> takes: host.json reads queue messages undecoded (<c>messageEncoding: none</c>), so either form comes here.</summary>
    public static byte[] QueueBody(string message)
    {
        var text = message.Trim();
        if (!text.StartsWith('{') && !text.StartsWith('['))
        {
            try
            {
                text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)).Trim();
            }
            catch (FormatException)
            {
                // neither JSON nor base64: the reader names the problem
            }
        }
        return System.Text.Encoding.UTF8.GetBytes(text.StartsWith('{') ? $"[{text}]" : text);
    }

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
