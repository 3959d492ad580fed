using System.Collections.Concurrent;
using Journeys.Core.Engine;
using Journeys.Functions.Durable;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>Takes the place of the channel providers: every delivery, in arrival order, for counting repeats by key.</summary>
internal sealed class RecordingDelivery : IMessageDelivery
{
    public ConcurrentQueue<SendMessage> Delivered { get; } = new();

    public Task SendAsync(SendMessage message, CancellationToken cancellation)
    {
        Delivered.Enqueue(message);
        return Task.CompletedTask;
    }
}
