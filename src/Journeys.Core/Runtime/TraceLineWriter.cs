using System.Buffers;
using System.Text;
using System.Text.Json;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// Writes trace records as JSON lines to a <see cref="TextWriter"/>, reusing one JSON writer and
/// one char buffer: a simulation may print millions of records.
/// </summary>
public sealed class TraceLineWriter(TextWriter output) : IDisposable
{
    private readonly ArrayBufferWriter<byte> _bytes = new(512);
    private readonly Utf8JsonWriter _json = new(Stream.Null, TraceRecord.WriterOptions);
    private char[] _chars = new char[512];

    public void Write(TraceRecord record)
    {
        Format(record);
        var needed = Encoding.UTF8.GetMaxCharCount(_bytes.WrittenCount);
        if (_chars.Length < needed)
        {
            _chars = new char[needed];
        }
        var count = Encoding.UTF8.GetChars(_bytes.WrittenSpan, _chars);
        output.Write(_chars, 0, count);
        output.Write('\n');
    }

    /// <summary>The record's line as UTF-8, without the newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(TraceRecord record)
    {
        _bytes.ResetWrittenCount();
        _json.Reset(_bytes);
        record.WriteTo(_json);
        _json.Flush();
        return _bytes.WrittenSpan;
    }

    public void Dispose() => _json.Dispose();
}
