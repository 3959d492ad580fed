using System.Net.Http.Headers;

namespace Journeys.Hosting.Webhooks;

/// <summary>A <c>Retry-After</c> header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) as a wait from now; a date in the past is no wait.</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Wait(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date) return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    /// <summary>The header's text (as an SDK exposes a raw response header); null when absent or unreadable.</summary>
    public static TimeSpan? Wait(string? header, DateTimeOffset now) =>
        RetryConditionHeaderValue.TryParse(header?.Trim(), out var parsed) ? Wait(parsed, now) : null;
}
