using Journeys.Core.Engine;
using Journeys.Hosting.Webhooks;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Channels;

/// <summary>
/// Webhook steps through the shared <see cref="WebhookSender"/> (serve's too): the rendered body to the
/// rendered URL with the step's headers and an <c>Idempotency-Key</c> header. 408, 429, 5xx, timeouts and
/// refused connections throw <see cref="ThrottledException"/> with the server's Retry-After, waited here
/// when short, else left to the sending activity's retry policy; another status fails the activity.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory clients, TimeProvider time, ILogger<WebhookChannel> log)
{
    public const string ClientName = "webhooks";

    /// <summary>Attempts are the activity's: the sender never gives up on its own (the policy's count is not reached).</summary>
    private static readonly WebhookPolicy Policy = WebhookPolicy.Default with { MaxAttempts = int.MaxValue };

    public Task SendAsync(SendMessage message, CancellationToken cancellation)
    {
        var request = WebhookRequest.Create(
            message.To,
            message.Content.GetValueOrDefault("method"),
            message.Headers.Select(h => new KeyValuePair<string, string?>(h.Key, h.Value)),
            message.Content.GetValueOrDefault("body"),
            message.IdempotencyKey,
            message.JourneyId);
        var sender = new WebhookSender(clients.CreateClient(ClientName), Policy, time, log);
        var attempt = 0;
        return InlineRetry.RunAsync(async () =>
        {
            switch (await sender.SendAsync(request, ++attempt, cancellation))
            {
                case WebhookOutcome.Retry retry:
                    throw new ThrottledException("webhook", retry.FromServer ? retry.After : null);
                case WebhookOutcome.Failed failed:
                    throw new HttpRequestException($"webhook failed: {failed.Error}");
            }
        }, time, cancellation);
    }
}
