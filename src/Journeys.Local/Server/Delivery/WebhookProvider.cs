using System.Net;
using System.Text;
using System.Text.Json;
using Journeys.Local.Storage;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// Calls each message's URL (<c>to</c>) with its method, headers and body, and an
/// <c>Idempotency-Key</c> header. 2xx delivers; 408, 429 and 5xx, timeouts and connection failures
/// retry with exponential backoff (or the server's Retry-After) until the attempts run out; any other
/// status fails at once. Logs carry the journey, step, status and attempt, never the URL or body.
/// </summary>
public sealed class WebhookProvider(HttpClient http, WebhookOptions options, TimeProvider time, ILogger<WebhookProvider> log) : IChannelProvider
{
    private const int Parallelism = 8;

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
        var attempt = message.Attempts + 1;
        HttpRequestMessage request;
        try
        {
            request = Request(message);
        }
        catch (Exception e) when (e is JsonException or UriFormatException or FormatException or InvalidOperationException)
        {
            return new DeliveryResult.Failed($"not a deliverable webhook: {e.Message}");
        }
        using (request)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            timeout.CancelAfter(options.Timeout);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (response.IsSuccessStatusCode)
                {
                    return DeliveryResult.Done;
                }
                log.LogWarning("Webhook for journey {Journey} answered {Status} (attempt {Attempt})", message.JourneyId, status, attempt);
                if (status is 408 or 429 or >= 500)
                {
                    return Again(attempt, RetryAfter(response), $"HTTP {status}");
                }
                return new DeliveryResult.Failed($"HTTP {status}");
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                log.LogWarning("Webhook for journey {Journey} timed out after {Timeout} (attempt {Attempt})", message.JourneyId, options.Timeout, attempt);
                return Again(attempt, null, "timed out");
            }
            catch (HttpRequestException e)
            {
                log.LogWarning("Webhook for journey {Journey} failed: {Error} (attempt {Attempt})", message.JourneyId, e.HttpRequestError, attempt);
                return Again(attempt, null, $"connection failed: {e.HttpRequestError}");
            }
        }
    }

    private DeliveryResult Again(int attempt, TimeSpan? retryAfter, string error)
    {
        if (attempt >= options.MaxAttempts)
        {
            return new DeliveryResult.Failed($"{error}; gave up after {attempt} attempts");
        }
        var backoff = options.Backoff * Math.Pow(2, attempt - 1);
        if (backoff > options.MaxBackoff) backoff = options.MaxBackoff;
        return new DeliveryResult.Retry(retryAfter ?? backoff, error);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header) return null;
        if (header.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private static HttpRequestMessage Request(OutboxMessage message)
    {
        using var doc = JsonDocument.Parse(message.Line);
        var root = doc.RootElement;
        var url = new Uri(root.GetProperty("to").GetString()!, UriKind.Absolute);
        if (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"scheme '{url.Scheme}' is not http or https");
        }
        var content = root.GetProperty("content");
        var method = content.TryGetProperty("method", out var m) && m.GetString() is { Length: > 0 } name ? new HttpMethod(name.ToUpperInvariant()) : HttpMethod.Post;
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", root.GetProperty("idempotencyKey").GetString());
        string? contentType = null;
        if (content.TryGetProperty("headers", out var headers))
        {
            foreach (var header in headers.EnumerateObject())
            {
                if (string.Equals(header.Name, "Content-Type", StringComparison.OrdinalIgnoreCase))
                {
                    contentType = header.Value.GetString();
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
            }
        }
        if (content.TryGetProperty("body", out var body) && body.GetString() is { } text)
        {
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "application/json; charset=utf-8");
        }
        return request;
    }
}
