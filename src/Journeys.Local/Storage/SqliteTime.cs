namespace Journeys.Local.Storage;

/// <summary>
/// Instants as INTEGER columns: UTC ticks, exact to the tick (unix milliseconds or ISO text would
/// round or need parsing) and ordered as numbers, so range look-ups and ORDER BY use the index.
/// The offset is not kept: instants come back in UTC, equal to what was stored.
/// </summary>
internal static class SqliteTime
{
    public static long ToColumn(DateTimeOffset instant) => instant.UtcTicks;

    public static DateTimeOffset FromColumn(long utcTicks) => new(utcTicks, TimeSpan.Zero);
}
