using Journeys.Core.Engine;

namespace Journeys.Functions.Durable;

/// <summary>
/// Where the sending activity (a decision's Apply) hands a message: the channel providers in the Functions app
/// (<see cref="Channels.ChannelDispatcher"/>), an outbox or a recorder elsewhere (dev host, tests).
/// Failures throw, and the activity's retry policy tries again.
/// </summary>
public interface IMessageDelivery
{
    Task SendAsync(SendMessage message, CancellationToken cancellation);
}
