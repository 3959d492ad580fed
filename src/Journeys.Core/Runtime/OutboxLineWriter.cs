using System.Text.Json;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// Writes messages as the outbox's JSON lines (DESIGN §6):
/// <c>{"at","user","journey","enrollment","step","channel","to","idempotencyKey","content"}</c>.
/// The simulator's <c>--outbox</c> and the local server's default channel share it.
/// </summary>
public sealed class OutboxLineWriter(Stream output) : IDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly Utf8JsonWriter _json = new(output, TraceRecord.WriterOptions);

    public void Write(SendMessage message)
    {
        _json.WriteStartObject();
        _json.WriteString("at", TraceRecord.FormatTime(message.At));
        _json.WriteString("user", message.UserId);
        _json.WriteString("journey", message.JourneyId);
        _json.WriteString("enrollment", message.EnrollmentId);
        _json.WriteString("step", message.Step);
        _json.WriteString("channel", SendPlanner.Name(message.Channel));
        _json.WriteString("to", message.To);
        _json.WriteString("idempotencyKey", message.IdempotencyKey);
        _json.WriteStartObject("content");
        foreach (var (name, text) in message.Content)
        {
            _json.WriteString(name, text);
        }
        if (message.Headers.Count > 0)
        {
            _json.WriteStartObject("headers");
            foreach (var (name, text) in message.Headers)
            {
                _json.WriteString(name, text);
            }
            _json.WriteEndObject();
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _json.Reset();
        output.Write(Newline);
    }

    /// <summary>Flushes and closes the stream: the writer owns it.</summary>
    public void Dispose()
    {
        _json.Dispose();
        output.Dispose();
    }
}
