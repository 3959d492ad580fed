namespace Journeys.Functions.Channels;

/// <summary>A provider said "too many requests" (429) or is unavailable; the activity is retried later.</summary>
public sealed class ThrottledException(string channel, TimeSpan? retryAfter)
    : Exception($"{channel} throttled{(retryAfter is { } after ? $", retry after {after.TotalSeconds:0}s" : "")}")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
