namespace Journeys.Hosting.Webhooks;

/// <summary>How long one attempt may take, how many attempts a message gets, and the backoff between them (doubling, capped).</summary>
public sealed record WebhookPolicy(TimeSpan Timeout, int MaxAttempts, TimeSpan Backoff, TimeSpan MaxBackoff)
{
    public static WebhookPolicy Default { get; } = new(TimeSpan.FromSeconds(10), 5, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based) when the server named none.</summary>
    public TimeSpan BackoffAfter(int attempt)
    {
        var backoff = Backoff * Math.Pow(2, Math.Min(attempt - 1, 30));
        return backoff > MaxBackoff ? MaxBackoff : backoff;
    }
}
