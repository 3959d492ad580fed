using Journeys.Core.Audience;
using Journeys.Core.Runtime;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The shared HTTP intake's two doors into the Functions app's ingestion: <c>/v1/events</c> hands a body's raw
/// elements to the handler the Event Hubs trigger calls, as one batch (<see cref="IngestRawAsync"/>); the Segment
/// routes parse in the shared intake and hand each event to the handler's per-event step, and what they could not
/// take goes to the dead-letter table behind <c>GET /v1/rejected</c> (<see cref="KeepRejectedAsync"/>).
/// </summary>
public sealed class DevHostIntake(EventIngestion ingestion, DeadLetters deadLetters, DurableTaskClient durable, ILogger<DevHostIntake> log) : IEventIntake
{
    /// <summary>A <c>/v1/events</c> body: what failed is dead-lettered with its raw body and answered by its index (its line number in NDJSON).</summary>
    public async Task<IngestResponse> IngestRawAsync(BodyElements body, DateTimeOffset receivedAt, CancellationToken cancel)
    {
        var elements = body.Elements;
        var received = new ReceivedEvent[elements.Count];
        for (var i = 0; i < elements.Count; i++)
        {
            received[i] = new ReceivedEvent(elements[i].Json, receivedAt);
        }
        var counts = received.Length == 0 ? default : await ingestion.IngestAsync(received, durable, cancel);
        var rejected = (counts.DeadLetteredAt ?? []).Select(d => new RejectedEvent(elements[d.Index].Index, d.MessageId, d.Reason)).ToList();
        log.LogInformation("Ingested a request of {Count} events: {Accepted} accepted, {Duplicates} duplicates, {Rejected} rejected",
            received.Length, counts.Accepted, counts.Duplicates, rejected.Count);
        return new IngestResponse(counts.Accepted, counts.Duplicates, rejected);
    }

    /// <summary>Parsed events, one by one; a storage or Durable failure escapes, so the route answers 500 and the SDK retries.</summary>
    public async Task<IngestCounts> IngestAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancel)
    {
        int accepted = 0, duplicates = 0;
        foreach (var e in events)
        {
            if (await ingestion.IngestAsync(e, durable, cancel) == IngestOutcome.Duplicate) duplicates++;
            else accepted++;
        }
        log.LogInformation("Ingested {Count} Segment calls: {Accepted} accepted, {Duplicates} duplicates", events.Count, accepted, duplicates);
        return new IngestCounts(accepted, duplicates);
    }

    public Task KeepRejectedAsync(IReadOnlyList<RejectedCall> rejected, CancellationToken cancel)
    {
        foreach (var call in rejected)
        {
            deadLetters.Add(call.Body, call.Reason, call.Source, call.Truncated);
        }
        log.LogWarning("Kept {Count} rejected Segment calls (GET /v1/rejected)", rejected.Count);
        return Task.CompletedTask;
    }
}
