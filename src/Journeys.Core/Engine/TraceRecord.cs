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

    public void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("at", FormatTime(At));
        writer.WriteString("user", User);
        writer.WriteString("journey", Journey);
        writer.WriteString("kind", Kind);
        if (Step is not null) writer.WriteString("step", Step);
        if (Channel is not null) writer.WriteString("channel", Channel);
        if (Path is not null) writer.WriteString("path", Path);
        if (Reason is not null) writer.WriteString("reason", Reason);
        if (Until is { } until) writer.WriteString("until", FormatTime(until));
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
