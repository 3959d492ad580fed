using System.Globalization;
using System.Text.Json;

namespace Journeys.Core.Engine;

/// <summary>The trace kinds of DESIGN §6, spelled as they appear in JSON.</summary>
public static class TraceKind
{
    public const string Entered = "entered";
    public const string Rejected = "rejected";
    public const string Sent = "sent";
    public const string Suppressed = "suppressed";
    public const string Path = "path";
    public const string Deferred = "deferred";
    public const string Converted = "converted";
    public const string Exited = "exited";
    public const string Completed = "completed";
}

/// <summary>Reason words of <c>rejected</c>, <c>suppressed</c> and <c>exited</c> records.</summary>
public static class TraceReason
{
    public const string Window = "window";
    public const string Audience = "audience";
    public const string Active = "active";
    public const string Once = "once";
    public const string Lock = "lock";
    public const string Cap = "cap";
    public const string NoConsent = "no-consent";
    public const string NoAddress = "no-address";
    public const string FrequencyCap = "frequency-cap";
    public const string GlobalControl = "global-control";
    public const string Limit = "limit";
    public const string Goal = "goal";
    public const string Event = "event";
    public const string MaxDuration = "max-duration";
    public const string Step = "step";
    public const string Stopped = "stopped";
    public const string Segment = "segment";
    public const string Jump = "jump";
}

/// <summary>One line of the trace: what happened to whom, when (virtual time in simulation).</summary>
public sealed record TraceRecord(
    DateTimeOffset At,
    string User,
    string Journey,
    string Kind,
    string? Step = null,
    string? Channel = null,
    string? Path = null,
    string? Reason = null,
    DateTimeOffset? Until = null)
{
    /// <summary>A <c>path</c> record of an experiment split whose winner sent the user there (<c>"winner": true</c>).</summary>
    public bool Winner { get; init; }

    /// <summary>
    /// Trace lines are data, not HTML: '+', '&amp;', quotes' neighbours and non-ASCII stay as they are
    /// (<c>beth+1@example.com</c>, not <c>beth\u002B1@example.com</c>); JSON still escapes what it must.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>UTC, second precision unless the instant has a fraction: <c>2026-12-01T10:00:00Z</c>.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="FormatTime(DateTimeOffset)"/> as UTF-8 into <paramref name="utf8"/> (at least 28 bytes), without a string:
    /// every trace line has a time, and a replay writes millions of lines. Returns the length.
    /// </summary>
    internal static int FormatTime(DateTimeOffset at, Span<byte> utf8)
    {
        var t = at.UtcDateTime;
        Digits(utf8[..4], t.Year);
        utf8[4] = (byte)'-';
        Digits(utf8.Slice(5, 2), t.Month);
        utf8[7] = (byte)'-';
        Digits(utf8.Slice(8, 2), t.Day);
        utf8[10] = (byte)'T';
        Digits(utf8.Slice(11, 2), t.Hour);
        utf8[13] = (byte)':';
        Digits(utf8.Slice(14, 2), t.Minute);
        utf8[16] = (byte)':';
        Digits(utf8.Slice(17, 2), t.Second);
        var length = 19;
        // FFFFFFF: the seven-digit fraction without its trailing zeros, and no '.' when it is zero
        var fraction = (int)(t.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            utf8[length++] = (byte)'.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }
            Digits(utf8.Slice(length, digits), fraction);
            length += digits;
        }
        utf8[length++] = (byte)'Z';
        return length;
    }

    /// <summary>A non-negative number as exactly <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        Span<byte> time = stackalloc byte[32];
        writer.WriteStartObject();
        writer.WriteString("at", time[..FormatTime(At, time)]);
        writer.WriteString("user", User);
        writer.WriteString("journey", Journey);
        writer.WriteString("kind", Kind);
        if (Step is not null) writer.WriteString("step", Step);
        if (Channel is not null) writer.WriteString("channel", Channel);
        if (Path is not null) writer.WriteString("path", Path);
        if (Reason is not null) writer.WriteString("reason", Reason);
        if (Until is { } until) writer.WriteString("until", time[..FormatTime(until, time)]);
        if (Winner) writer.WriteBoolean("winner", true);
        writer.WriteEndObject();
    }

    public string ToJson()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
