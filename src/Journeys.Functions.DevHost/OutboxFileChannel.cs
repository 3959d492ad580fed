using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;

namespace Journeys.Functions.DevHost;

/// <summary>
/// Every channel's messages as lines of the outbox file (DESIGN §6 format), once per idempotency key across
/// restarts: the keys already in the file are read at start, each line is flushed to disk (fsync) before the
/// activity that delivers it (its decision's Apply) completes, and a key seen before is not written again. That activity retried after a crash
/// (its completion was never recorded) therefore finds its line and writes nothing. A torn last line (a crash
/// mid-write) is cut off at start: its activity did not complete, so it runs again and writes it whole.
/// </summary>
public sealed class OutboxFileChannel : IMessageDelivery, IDisposable
{
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly FileStream _file;

    public OutboxFileChannel(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _file = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var kept = ReadKeys(_file, _keys);
        if (kept < _file.Length)
        {
            _file.SetLength(kept);
            _file.Flush(flushToDisk: true);
        }
        _file.Seek(0, SeekOrigin.End);
    }

    public string Path { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    public Task SendAsync(SendMessage message, CancellationToken cancellation)
    {
        var line = System.Text.Encoding.UTF8.GetBytes(OutboxLineWriter.Format(message) + "\n");
        lock (_gate)
        {
            if (_keys.Contains(message.IdempotencyKey))
            {
                return Task.CompletedTask; // written by an earlier attempt of this send
            }
            _file.Write(line);
            _file.Flush(flushToDisk: true);
            _keys.Add(message.IdempotencyKey);
        }
        return Task.CompletedTask;
    }

    public void Dispose() => _file.Dispose();

    /// <returns>The length of the file's complete lines.</returns>
    private static long ReadKeys(FileStream file, HashSet<string> keys)
    {
        var bytes = new byte[file.Length];
        file.Seek(0, SeekOrigin.Begin);
        file.ReadExactly(bytes);
        var rest = bytes.AsSpan();
        long complete = 0;
        int end;
        while ((end = rest.IndexOf((byte)'\n')) >= 0)
        {
            if (Key(rest[..end]) is { } key)
            {
                keys.Add(key);
            }
            complete += end + 1;
            rest = rest[(end + 1)..];
        }
        return complete;
    }

    private static string? Key(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            return null;
        }
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(line);
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName && reader.ValueTextEquals("idempotencyKey"u8))
                {
                    reader.Read();
                    return reader.GetString();
                }
            }
            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // not ours: kept, never matched
        }
    }
}
