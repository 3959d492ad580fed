namespace Journeys.Hosting.Webhooks;

/// <summary>What one webhook attempt came to.</summary>
public abstract record WebhookOutcome
{
    public static readonly WebhookOutcome Done = new Delivered();

    /// <summary>2xx: the receiver has it.</summary>
    public sealed record Delivered : WebhookOutcome;

    /// <summary>408, 429, 5xx, a timeout or a refused connection: try again after <paramref name="After"/> (the server's Retry-After when it gave one, else the backoff).</summary>
    public sealed record Retry(TimeSpan After, bool FromServer, string Error) : WebhookOutcome;

    /// <summary>Another status, an undeliverable request, or out of attempts: never again.</summary>
    public sealed record Failed(string Error) : WebhookOutcome;
}
