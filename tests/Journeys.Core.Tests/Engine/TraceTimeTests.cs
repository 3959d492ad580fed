using System.Text;
using Journeys.Core.Engine;

namespace Journeys.Core.Tests.Engine;

/// <summary>The trace lines' allocation-free time formatter writes what the format string does, byte for byte.</summary>
public sealed class TraceTimeTests
{
    [Theory]
    [InlineData("2026-12-01T10:00:00Z")]
    [InlineData("2026-12-01T10:00:00.5Z")]
    [InlineData("2026-12-01T10:00:00.1234567Z")]
    [InlineData("2026-12-01T10:00:00.0000001Z")]
    [InlineData("2026-12-01T10:00:00.1200000Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    [InlineData("2026-06-30T23:30:00+05:30")]
    public void Writes_what_the_format_string_writes(string text)
    {
        AssertSame(DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Writes_what_the_format_string_writes_for_random_instants()
    {
        var random = new Random(3);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay);
            // whole seconds and milliseconds too: the fraction's trailing zeros are trimmed
            ticks -= (i % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            AssertSame(new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-720, 720))));
        }
    }

    private static void AssertSame(DateTimeOffset at)
    {
        Span<byte> utf8 = stackalloc byte[32];
        var length = TraceRecord.FormatTime(at, utf8);
        Assert.Equal(TraceRecord.FormatTime(at), Encoding.UTF8.GetString(utf8[..length]));
    }
}
