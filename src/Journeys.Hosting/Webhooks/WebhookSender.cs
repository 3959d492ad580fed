using System.Text;
using Microsoft.Extensions.Logging;

namespace Journeys.Hosting.Webhooks;

/// <summary>
/// Calls a webhook once: its method, headers and body, and an <c>Idempotency-Key</c> header. 2xx delivers;
/// 408, 429 and 5xx, timeouts and connection failures are worth another attempt after the server's
/// Retry-After or the policy's doubling backoff, until the attempts run out; any other status fails at once.
/// The caller schedules the next attempt (serve's outbox, the Functions activity). Logs carry the journey,
/// status and attempt, never the URL or body.
/// </summary>
public sealed class WebhookSender(HttpClient http, WebhookPolicy policy, TimeProvider time, ILogger log)
{
    public WebhookPolicy Policy => policy;

    /// <param name="attempt">1 for the first attempt.</param>
    public async Task<WebhookOutcome> SendAsync(WebhookRequest webhook, int attempt, CancellationToken cancel)
    {
        HttpRequestMessage request;
        try
        {
            request = Message(webhook);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return new WebhookOutcome.Failed($"not a deliverable webhook: {e.Message}"); // a bad method or Content-Type never gets better
        }
        using var _ = request;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(policy.Timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return WebhookOutcome.Done;
            }
            log.LogWarning("Webhook for journey {Journey} answered {Status} (attempt {Attempt})", webhook.Journey, status, attempt);
            return status is 408 or 429 or >= 500
                ? Again(attempt, RetryAfterHeader.Wait(response.Headers.RetryAfter, time.GetUtcNow()), $"HTTP {status}")
                : new WebhookOutcome.Failed($"HTTP {status}");
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            log.LogWarning("Webhook for journey {Journey} timed out after {Timeout} (attempt {Attempt})", webhook.Journey, policy.Timeout, attempt);
            return Again(attempt, null, "timed out");
        }
        catch (HttpRequestException e)
        {
            log.LogWarning("Webhook for journey {Journey} failed: {Error} (attempt {Attempt})", webhook.Journey, e.HttpRequestError, attempt);
            return Again(attempt, null, $"connection failed: {e.HttpRequestError}");
        }
    }

    private WebhookOutcome Again(int attempt, TimeSpan? retryAfter, string error) =>
        attempt >= policy.MaxAttempts
            ? new WebhookOutcome.Failed($"{error}; gave up after {attempt} attempts")
            : new WebhookOutcome.Retry(retryAfter ?? policy.BackoffAfter(attempt), retryAfter is not null, error);

    private static HttpRequestMessage Message(WebhookRequest webhook)
    {
        var request = new HttpRequestMessage(webhook.Method, webhook.Url);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", webhook.IdempotencyKey);
        string? contentType = null;
        foreach (var (name, value) in webhook.Headers)
        {
            if (string.Equals(name, "Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!string.Equals(name, "Idempotency-Key", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (webhook.Body is { } body)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? "application/json; charset=utf-8");
        }
        return request;
    }
}
