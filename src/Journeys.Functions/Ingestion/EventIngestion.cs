using System.Text;
using Azure.Messaging.EventHubs;
using Journeys.Core.Audience;
using Journeys.Core.Runtime;
using Journeys.Functions.Durable;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Ingestion;

/// <summary>
/// The Event Hubs trigger (DESIGN §5): a batch of Segment-spec events, partitioned by user id, so one
/// user's events arrive in order. Each event is handled on its own: a bad or failing event goes to the
/// dead-letter table with its reason and the batch goes on — an exception escaping the function would
/// still advance the checkpoint and lose the rest of the batch.
/// </summary>
public sealed class EventIngestion(IngestorFactory ingestors, DeadLetters deadLetters, TimeProvider time, ILogger<EventIngestion> log)
{
    [Function("IngestEvents")]
    public async Task Run(
        [EventHubTrigger("%EventHubName%", Connection = "EventHubConnection", ConsumerGroup = "%EventHubConsumerGroup%", IsBatched = true)] EventData[] events,
        [DurableClient] DurableTaskClient durable,
        CancellationToken cancellation)
    {
        // the body's bytes as the app sent them, and the hub's enqueued time as the receive time of calls without a timestamp
        var received = new ReceivedEvent[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            received[i] = new ReceivedEvent(events[i].EventBody.ToMemory(), events[i].EnqueuedTime);
        }
        var counts = await IngestAsync(received, durable, cancellation);
        log.LogInformation("Ingested a batch of {Count}: {Accepted} accepted, {Duplicates} duplicates, {DeadLettered} dead-lettered",
            events.Length, counts.Accepted, counts.Duplicates, counts.DeadLettered);
    }

    /// <summary>Event texts received now (tests, and callers that hold text rather than message bodies).</summary>
    public Task<BatchCounts> IngestAsync(IReadOnlyList<string> events, DurableTaskClient durable, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        return IngestAsync(events.Select(e => new ReceivedEvent(Encoding.UTF8.GetBytes(e), now)).ToList(), durable, cancellation);
    }

    /// <summary>
    /// The batch, event by event (separate from the binding so tests and the dev host call it): each body parsed by the
    /// engine's parser with its receive time (<see cref="EventParser.Parse(ReadOnlySpan{byte}, EventReceipt?)"/>).
    /// </summary>
    public async Task<BatchCounts> IngestAsync(IReadOnlyList<ReceivedEvent> events, DurableTaskClient durable, CancellationToken cancellation)
    {
        var counts = new BatchCounts();
        for (var i = 0; i < events.Count; i++)
        {
            var (body, receivedAt) = events[i];
            string? messageId = null;
            try
            {
                var parsed = EventParser.Parse(body.Span, new EventReceipt(receivedAt));
                messageId = parsed.MessageId;
                if (parsed.Event is not { } e)
                {
                    DeadLetter(body, parsed.Error ?? "unreadable event", i, messageId, ref counts);
                    continue;
                }
                if (await IngestAsync(e, durable, cancellation) == IngestOutcome.Duplicate) counts.Duplicates++;
                else counts.Accepted++;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                throw; // the host is shutting down: the batch is not checkpointed and comes again
            }
            catch (Exception ex)
            {
                // the type only: messages of storage and parser exceptions may quote the event's content
                DeadLetter(body, "failed: " + ex.GetType().Name, i, messageId, ref counts);
            }
        }
        return counts;
    }

    /// <summary>
    /// One parsed event: the ingestor's decisions on the user's partition, then the starts and wakes they call
    /// for. Throws when storage or Durable fail (the caller dead-letters, or answers an error so the sender retries).
    /// </summary>
    public async Task<IngestOutcome> IngestAsync(CustomerEvent e, DurableTaskClient durable, CancellationToken cancellation)
    {
        var signals = new BufferedSignals();
        IngestOutcome outcome;
        using (ingestors.Traces.Scope(e.MessageId))
        {
            outcome = ingestors.Create(signals).Ingest(e, time.GetUtcNow());
        }
        await signals.FlushAsync(durable, log, cancellation);
        return outcome;
    }

    private void DeadLetter(ReadOnlyMemory<byte> body, string reason, int index, string? messageId, ref BatchCounts counts)
    {
        try
        {
            deadLetters.Add(body, reason, "eventhub");
        }
        catch (Exception ex)
        {
            log.LogError("Could not dead-letter event {Index} of the batch ({Reason}): {Error}", index, reason, ex.GetType().Name);
        }
        log.LogWarning("Event {Index} of the batch dead-lettered: {Reason}", index, reason);
        counts.DeadLettered++;
        (counts.DeadLetteredAt ??= []).Add((index, messageId, reason));
    }
}

/// <summary>What became of one batch.</summary>
public struct BatchCounts
{
    public int Accepted;
    public int Duplicates;
    public int DeadLettered;

    /// <summary>Which events of the batch were dead-lettered (their message id when it could be read), and why (HTTP intake answers with them).</summary>
    public List<(int Index, string? MessageId, string Reason)>? DeadLetteredAt;
}
