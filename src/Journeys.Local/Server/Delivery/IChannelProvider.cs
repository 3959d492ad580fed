using Journeys.Local.Storage;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// Delivers outbox messages (DESIGN §6 lines) somewhere: a file, the console, a webhook. Each
/// message carries its idempotency key, stable across attempts, for the receiver to drop repeats.
/// </summary>
public interface IChannelProvider
{
    /// <summary>The name configuration uses (<c>outbox</c>, <c>console</c>, <c>webhook</c>).</summary>
    string Name { get; }

    /// <summary>One result per message, in order. Throwing means every message is retried later.</summary>
    Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancel);

    /// <summary>Runs in the transaction that marks a batch delivered (the outbox file records its length there).</summary>
    void Committing(SqliteOutbox outbox)
    {
    }

    /// <summary>Runs once before the first delivery, in a transaction: reconcile what a crash left between delivering and marking.</summary>
    void Recover(SqliteOutbox outbox, DateTimeOffset now)
    {
    }
}
