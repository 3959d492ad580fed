using System.Text.Json;
using System.Text.Json.Nodes;
using Journeys.Hosting.Tracking;
using Journeys.Local.Storage;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// serve's side of built-in tracking: an outbox line of a tracked e-mail (<c>"track": true</c>) gets its body
/// rewritten by the shared <see cref="TrackingRewriter"/> just before a provider delivers it. The row keeps the
/// message as the engine decided it; the rewrite is pure, so every attempt delivers the same line.
/// </summary>
public sealed class TrackedOutboxLine(TrackingRewriter rewriter)
{
    public OutboxMessage Apply(OutboxMessage message)
    {
        if (message.Channel != "email" || !message.Line.Contains("\"track\":true", StringComparison.Ordinal))
        {
            return message;
        }
        var line = JsonNode.Parse(message.Line)!.AsObject();
        if (line["track"]?.GetValueKind() != JsonValueKind.True || line["content"] is not JsonObject content
            || content[TrackingRewriter.BodyField]?.GetValue<string>() is not { } body)
        {
            return message;
        }
        var identity = new TrackedMessage(Text(line, "journey"), Text(line, "user"), Text(line, "enrollment"), Text(line, "step"), Text(line, "idempotencyKey"));
        content[TrackingRewriter.BodyField] = rewriter.Rewrite(body, identity);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(message.Line.Length + 1024);
        using (var writer = new Utf8JsonWriter(buffer, Core.Engine.TraceRecord.WriterOptions))
        {
            line.WriteTo(writer);
        }
        return message with { Line = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) };
    }

    private static string Text(JsonObject line, string field) =>
        line[field]?.GetValue<string>() ?? throw new InvalidDataException($"outbox line without '{field}'");
}
