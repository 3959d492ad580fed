using System.Text;
using System.Text.Json;
using Journeys.Local.Storage;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// The default provider: appends each message's line to <c>&lt;data&gt;/outbox.jsonl</c>, exactly once.
/// The outbox table records the file's length in the transaction that marks a batch delivered; after
/// a crash, lines past that length were written but not marked, so <see cref="Recover"/> marks them
/// delivered instead of writing them again, and cuts off a line the crash left half-written.
/// </summary>
public sealed class OutboxFileProvider : IChannelProvider, IDisposable
{
    public const string LengthKey = "outbox.file.length";
    private readonly FileStream _file;

    public OutboxFileProvider(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _file.Seek(0, SeekOrigin.End);
    }

    public string Name => "outbox";

    public string Path { get; }

    public Task<IReadOnlyList<DeliveryResult>> DeliverAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken cancel)
    {
        var bytes = new MemoryStream();
        foreach (var message in messages)
        {
            bytes.Write(Encoding.UTF8.GetBytes(message.Line));
            bytes.WriteByte((byte)'\n');
        }
        _file.Write(bytes.GetBuffer(), 0, (int)bytes.Length);
        // on disk before the batch is marked delivered: a crash after this point is reconciled by Recover
        _file.Flush(flushToDisk: true);
        return Task.FromResult<IReadOnlyList<DeliveryResult>>(messages.Select(_ => DeliveryResult.Done).ToArray());
    }

    public void Committing(SqliteOutbox outbox) =>
        outbox.SetMeta(LengthKey, _file.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Recover(SqliteOutbox outbox, DateTimeOffset now)
    {
        var recorded = long.TryParse(outbox.GetMeta(LengthKey), out var length) ? length : 0;
        if (recorded > _file.Length)
        {
            recorded = 0; // the file was replaced or truncated by hand: what it holds is all there is
        }
        // line by line in chunks: the tail is normally one batch, but a file kept from another
        // database is read whole, and memory must not grow with it
        _file.Seek(recorded, SeekOrigin.Begin);
        var chunk = new byte[64 * 1024];
        var line = new MemoryStream();
        var complete = recorded; // just past the last newline seen
        var position = recorded;
        int read;
        while ((read = _file.Read(chunk)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (chunk[i] != (byte)'\n')
                {
                    line.WriteByte(chunk[i]);
                    continue;
                }
                complete = position + i + 1;
                if (line.Length > 0 && KeyOf(Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length)) is { } key)
                {
                    outbox.MarkDelivered(key, now);
                }
                line.SetLength(0);
            }
            position += read;
        }
        if (complete < _file.Length)
        {
            _file.SetLength(complete); // half a line: the message was not delivered
        }
        _file.Seek(0, SeekOrigin.End);
        Committing(outbox);
    }

    private static string? KeyOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.TryGetProperty("idempotencyKey", out var key) ? key.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _file.Dispose();
}
