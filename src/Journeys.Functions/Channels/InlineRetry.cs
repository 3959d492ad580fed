namespace Journeys.Functions.Channels;

/// <summary>
/// Honouring Retry-After inside an activity: a short wait is taken in place (one more attempt), a long one
/// is left to the activity's retry policy, so an invocation never sleeps for minutes.
/// </summary>
internal static class InlineRetry
{
    public static readonly TimeSpan LongestInlineWait = TimeSpan.FromSeconds(20);

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
