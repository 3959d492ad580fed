using System.Text.Json;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// Writes messages as the outbox's JSON lines (DESIGN §6):
/// <c>{"at","user","journey","enrollment","step","channel","to","idempotencyKey","content"}</c>, and
/// <c>"track": true</c> for a tracked e-mail.
/// The simulator's <c>--outbox</c> and the local server's default channel share it.
/// </summary>
public sealed class OutboxLineWriter(Stream output) : IDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly Utf8JsonWriter _json = new(output, TraceRecord.WriterOptions);

    public void Write(SendMessage message)
    {
        WriteTo(_json, message);
        _json.Flush();
        _json.Reset();
        output.Write(Newline);
    }

    /// <summary>Writes a line already formatted (a partitioned replay's merge), and its newline.</summary>
    public void WriteLine(ReadOnlySpan<byte> line)
    {
        output.Write(line);
        output.Write(Newline);
    }

    /// <summary>The message's outbox line, without the newline.</summary>
    public static string Format(SendMessage message)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, TraceRecord.WriterOptions))
        {
            WriteTo(writer, message);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteTo(Utf8JsonWriter json, SendMessage message)
    {
        json.WriteStartObject();
        json.WriteString("at", TraceRecord.FormatTime(message.At));
        json.WriteString("user", message.UserId);
        json.WriteString("journey", message.JourneyId);
        json.WriteString("enrollment", message.EnrollmentId);
        json.WriteString("step", message.Step);
        json.WriteString("channel", SendPlanner.Name(message.Channel));
        json.WriteString("to", message.To);
        json.WriteString("idempotencyKey", message.IdempotencyKey);
        if (message.Track)
        {
            json.WriteBoolean("track", true); // the host adds tracking when it delivers the line
        }
        json.WriteStartObject("content");
        foreach (var (name, text) in message.Content)
        {
            json.WriteString(name, text);
        }
        if (message.Headers.Count > 0)
        {
            json.WriteStartObject("headers");
            foreach (var (name, text) in message.Headers)
            {
                json.WriteString(name, text);
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Flushes and closes the stream: the writer owns it.</summary>
    public void Dispose()
    {
        _json.Dispose();
        output.Dispose();
    }
}
