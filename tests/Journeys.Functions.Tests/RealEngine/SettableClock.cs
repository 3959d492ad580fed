namespace Journeys.Functions.Tests.RealEngine;

/// <summary>The ingestion's clock: the real one, or the instant a test says an event is processed at.</summary>
internal sealed class SettableClock : TimeProvider
{
    private long _ticks; // 0 = the real clock

    public DateTimeOffset? Fixed
    {
        get => Interlocked.Read(ref _ticks) is var t && t == 0 ? null : new DateTimeOffset(t, TimeSpan.Zero);
        set => Interlocked.Exchange(ref _ticks, value?.UtcTicks ?? 0);
    }

    public override DateTimeOffset GetUtcNow() => Fixed ?? System.GetUtcNow();
}
