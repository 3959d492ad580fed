namespace Journeys.Core.Orchestration;

/// <summary>How an activity is retried (Durable's <c>RetryPolicy</c>: attempts, first interval, back-off, cap).</summary>
public sealed record ActivityRetry(int MaxAttempts, TimeSpan FirstInterval, double BackoffCoefficient, TimeSpan MaxInterval)
{
    /// <summary>Storage look-ups and writes: transient faults and throttling clear within seconds.</summary>
    public static ActivityRetry Storage { get; } = new(5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30));

    /// <summary>Channel deliveries: providers throttle (429) for longer, so wait longer between attempts.</summary>
    public static ActivityRetry Delivery { get; } = new(6, TimeSpan.FromSeconds(5), 2.0, TimeSpan.FromMinutes(5));

    /// <summary>
    /// An <see cref="ActivityNames.Apply"/> that also delivers <paramref name="messages"/> messages: the delivery
    /// policy, with <see cref="Delivery"/>'s attempts for each message. An attempt fails at its first unsent message
    /// (the ones before it are marked and skipped on the next attempt), so each message still gets at least the
    /// attempts a <see cref="ActivityNames.Send"/> of its own had; with none it is a storage write.
    /// </summary>
    public static ActivityRetry ApplyAndSend(int messages) =>
        messages == 0 ? Storage : Delivery with { MaxAttempts = Delivery.MaxAttempts * messages };
}
