using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Functions.Durable;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Channels;

/// <summary>A message to its channel. Failures throw, and the sending activity's retry policy tries again.</summary>
public sealed class ChannelDispatcher(AcsChannels acs, WebhookChannel webhook, ILogger<ChannelDispatcher> log) : IMessageDelivery
{
    public Task SendAsync(SendMessage message, CancellationToken cancellation)
    {
        switch (message.Channel)
        {
            case Channel.Email:
                return acs.SendEmailAsync(message, cancellation);
            case Channel.Sms:
                return acs.SendSmsAsync(message, cancellation);
            case Channel.Webhook:
                return webhook.SendAsync(message, cancellation);
            default:
                // no push provider on Azure yet: the trace says sent, the log says why nothing went out
                log.LogWarning("No provider for channel {Channel}: message {IdempotencyKey} of journey {Journey} not delivered",
                    message.Channel, message.IdempotencyKey, message.JourneyId);
                return Task.CompletedTask;
        }
    }
}
