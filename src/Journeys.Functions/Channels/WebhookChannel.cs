using System.Net;
using System.Text;
using Journeys.Core.Engine;

namespace Journeys.Functions.Channels;

/// <summary>
/// Webhook steps: the rendered body to the rendered URL with the step's headers and an
/// <c>Idempotency-Key</c> header, ten seconds at most (the named client's timeout). 429 and 5xx are
/// retried (Retry-After honoured); other 4xx are the receiver's refusal and fail the activity.
/// </summary>
public sealed class WebhookChannel(IHttpClientFactory clients, TimeProvider time)
{
    public const string ClientName = "webhooks";

    public Task SendAsync(SendMessage message, CancellationToken cancellation) => RetryAfter.RunAsync(async () =>
    {
        var method = new HttpMethod(message.Content.GetValueOrDefault("method") ?? "POST");
        using var request = new HttpRequestMessage(method, message.To);
        if (message.Content.GetValueOrDefault("body") is { } body && method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in message.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.IdempotencyKey);
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellation);
        if (response.StatusCode == HttpStatusCode.TooManyRequests || (int)response.StatusCode >= 500)
        {
            throw new ThrottledException("webhook", RetryAfter.From(response.Headers.RetryAfter, time.GetUtcNow()));
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"webhook answered {(int)response.StatusCode}", null, response.StatusCode);
        }
    }, time, cancellation);
}
