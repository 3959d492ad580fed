using System.Text.Json;
using Journeys.Hosting.Webhooks;
using Journeys.Local.Storage;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// Webhook messages through the shared <see cref="WebhookSender"/>: each message's URL (<c>to</c>) with its
/// method, headers and body, and an <c>Idempotency-Key</c> header. A retry is left to the outbox, which
/// tries again after the sender's wait (the server's Retry-After, or the doubling backoff).
/// </summary>
public sealed class WebhookProvider(HttpClient http, WebhookOptions options, TimeProvider time, ILogger<WebhookProvider> log) : IChannelProvider
{
    private const int Parallelism = 8;

    private readonly WebhookSender _sender = new(http, new WebhookPolicy(options.Timeout, options.MaxAttempts, options.Backoff, options.MaxBackoff), time, log);

    public string Name => "webhook";

    public async Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancel)
    {
        var results = new DeliveryResult[messages.Count];
        await Parallel.ForAsync(0, messages.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancel },
            async (i, token) => results[i] = await DeliverOneAsync(messages[i], token).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    private async Task<DeliveryResult> DeliverOneAsync(OutboxMessage message, CancellationToken cancel)
    {
        WebhookRequest request;
        try
        {
            request = Request(message);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return new DeliveryResult.Failed($"not a deliverable webhook: {e.Message}");
        }
        return await _sender.SendAsync(request, message.Attempts + 1, cancel).ConfigureAwait(false) switch
        {
            WebhookOutcome.Retry retry => new DeliveryResult.Retry(retry.After, retry.Error),
            WebhookOutcome.Failed failed => new DeliveryResult.Failed(failed.Error),
            _ => DeliveryResult.Done,
        };
    }

    /// <summary>The outbox line (DESIGN §6 format) as a webhook call.</summary>
    private static WebhookRequest Request(OutboxMessage message)
    {
        using var doc = JsonDocument.Parse(message.Line);
        var root = doc.RootElement;
        var content = root.GetProperty("content");
        var headers = new List<KeyValuePair<string, string?>>();
        if (content.TryGetProperty("headers", out var h))
        {
            foreach (var header in h.EnumerateObject())
            {
                headers.Add(new(header.Name, header.Value.GetString()));
            }
        }
        return WebhookRequest.Create(
            root.GetProperty("to").GetString(),
            content.TryGetProperty("method", out var m) ? m.GetString() : null,
            headers,
            content.TryGetProperty("body", out var body) ? body.GetString() : null,
            root.GetProperty("idempotencyKey").GetString() ?? "",
            message.JourneyId);
    }
}
