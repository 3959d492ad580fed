using Journeys.Core.Engine;

namespace Journeys.Functions.Channels;

/// <summary>
/// Where the send activity hands a message: ACS and webhooks on Azure (<see cref="ChannelDispatcher"/>), the
/// outbox file in the dev host. Failures throw, and the activity's retry policy tries again.
/// </summary>
public interface IMessageChannel
{
    Task SendAsync(SendMessage message, CancellationToken cancellation);
}
