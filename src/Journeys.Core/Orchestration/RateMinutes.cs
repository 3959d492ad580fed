namespace Journeys.Core.Orchestration;

/// <summary>The minute arithmetic every <see cref="IRateSlots"/> shares.</summary>
public static class RateMinutes
{
    /// <summary>The UTC minute an instant falls in.</summary>
    public static DateTimeOffset Of(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>
    /// When the send counted as a later minute's <paramref name="taken"/>+1-th goes: spread over the minute as the
    /// single-node runtime spaces its slots, so deferred sends do not all wake at the minute's first instant.
    /// </summary>
    public static DateTimeOffset Place(DateTimeOffset minute, long taken, int perMinute) =>
        minute + TimeSpan.FromTicks(TimeSpan.TicksPerMinute * taken / perMinute);
}
