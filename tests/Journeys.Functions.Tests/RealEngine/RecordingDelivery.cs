using System.Collections.Concurrent;
using Journeys.Core.Engine;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>Takes the place of the channel providers: every delivery, in arrival order, for counting repeats by key.</summary>
internal sealed class RecordingDelivery : IMessageDelivery
{
    private readonly ConcurrentDictionary<int, bool> _throttled = new();
    private int _calls;

    public ConcurrentQueue<SendMessage> Delivered { get; } = new();

    /// <summary>Every delivery asked for, throttled ones included.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>
    /// The delivery calls with these numbers (1 = the next one) are throttled as a provider's 429 with a Retry-After
    /// too long to wait inline, so the activity fails and Durable's retry policy runs it again.
    /// </summary>
    public void Throttle(params int[] calls)
    {
        var from = Calls;
        foreach (var call in calls)
        {
            _throttled[from + call] = true;
        }
    }

    public Task SendAsync(SendMessage message, CancellationToken cancellation)
    {
        if (_throttled.TryRemove(Interlocked.Increment(ref _calls), out _))
        {
            throw new ThrottledException(message.Channel.ToString(), TimeSpan.FromMinutes(1));
        }
        Delivered.Enqueue(message);
        return Task.CompletedTask;
    }
}
