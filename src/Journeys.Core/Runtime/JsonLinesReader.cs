using System.Buffers;

namespace Journeys.Core.Runtime;

/// <summary>
/// Reads a JSON-lines stream one line at a time in a bounded buffer: a line over the limit is
/// reported and skipped without ever being held whole, so a hostile file cannot exhaust memory.
/// </summary>
public sealed class JsonLinesReader(Stream stream, int maxLineBytes = 1024 * 1024)
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _start;
    private int _end;
    private bool _eof;

    public int LineNumber { get; private set; }

    /// <summary>The next non-blank line (without its line break), or false at the end. <paramref name="tooLong"/> marks a skipped line.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                LineNumber++;
                var content = new ReadOnlyMemory<byte>(_buffer, _start, newline - _start);
                _start = newline + 1;
                if (tooLong)
                {
                    line = default;
                    return true;
                }
                content = Trim(content);
                if (content.IsEmpty) continue;
                line = content;
                return true;
            }
            if (_eof)
            {
                if (_start < _end || tooLong)
                {
                    LineNumber++;
                    var rest = Trim(new ReadOnlyMemory<byte>(_buffer, _start, _end - _start));
                    _start = _end;
                    if (!rest.IsEmpty || tooLong)
                    {
                        line = tooLong ? default : rest;
                        return true;
                    }
                }
                line = default;
                return false;
            }
            if (_end - _start >= maxLineBytes)
            {
                // over the limit: drop what we have of this line and keep skipping to its end
                tooLong = true;
                _start = _end;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0) _eof = true;
        _end += read;
    }

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        int s = 0, e = span.Length;
        if (e >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF) s = 3; // UTF-8 BOM
        while (s < e && span[s] is (byte)' ' or (byte)'\t' or (byte)'\r') s++;
        while (e > s && span[e - 1] is (byte)' ' or (byte)'\t' or (byte)'\r') e--;
        return line[s..e];
    }
}
