using System.Globalization;
using System.Net.Http.Headers;

namespace Journeys.Functions.Channels;

/// <summary>
/// Honouring Retry-After: a short wait is taken inside the activity (one more attempt), a long one is
/// left to the activity's retry policy, so an invocation never sleeps for minutes.
/// </summary>
internal static class RetryAfter
{
    public static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(20);

    public static TimeSpan? Parse(string? header, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        if (int.TryParse(header, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }
        return DateTimeOffset.TryParse(header, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now ? at - now : TimeSpan.Zero;
    }

    public static TimeSpan? From(RetryConditionHeaderValue? header, DateTimeOffset now) =>
        header?.Delta ?? (header?.Date is { } at ? (at > now ? at - now : TimeSpan.Zero) : null);

    /// <summary>Runs <paramref name="attempt"/>; after a throttle with a short enough Retry-After, waits and runs it once more.</summary>
    public static async Task RunAsync(Func<Task> attempt, TimeProvider time, CancellationToken cancellation)
    {
        try
        {
            await attempt();
        }
        catch (ThrottledException e) when (e.RetryAfter is { } wait && wait <= LongestInlineWait)
        {
            await Task.Delay(wait, time, cancellation);
            await attempt();
        }
    }
}
