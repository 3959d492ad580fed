using System.Text;

namespace Journeys.Local.Cli;

/// <summary>
/// Writes UTF-8 lines to a text writer. Over the CLI's stdout (a UTF-8 <see cref="StreamWriter"/>) the bytes go
/// straight to its stream, with no decoding to chars and back, a megabyte at a time and on another thread while the
/// next megabyte fills (a million users' trace is most of a gigabyte); over any other writer (tests capture a
/// <see cref="StringWriter"/>) they are decoded. Either way the text is the same.
/// </summary>
internal sealed class Utf8Lines : IDisposable
{
    private const int ChunkSize = 1 << 20;

    private readonly Stream? _stream;
    private readonly TextWriter _text;
    private char[] _chars = new char[512];
    private byte[] _chunk = [];
    private byte[] _spare = [];
    private int _used;
    private Task _writing = Task.CompletedTask;

    private Utf8Lines(TextWriter text, Stream? stream)
    {
        _text = text;
        _stream = stream;
        if (stream is not null)
        {
            _chunk = new byte[ChunkSize];
            _spare = new byte[ChunkSize];
        }
    }

    public static Utf8Lines Over(TextWriter writer)
    {
        if (writer is StreamWriter { Encoding: UTF8Encoding } stream && stream.Encoding.GetPreamble().Length == 0)
        {
            stream.Flush();
            return new Utf8Lines(writer, stream.BaseStream);
        }
        return new Utf8Lines(writer, null);
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (_stream is not null)
        {
            if (_used + line.Length + 1 > _chunk.Length)
            {
                Hand();
                if (line.Length + 1 > _chunk.Length)
                {
                    Wait();
                    _stream.Write(line);
                    _stream.WriteByte((byte)'\n');
                    return;
                }
            }
            line.CopyTo(_chunk.AsSpan(_used));
            _chunk[_used + line.Length] = (byte)'\n';
            _used += line.Length + 1;
            return;
        }
        var needed = Encoding.UTF8.GetMaxCharCount(line.Length);
        if (_chars.Length < needed) _chars = new char[needed];
        var count = Encoding.UTF8.GetChars(line, _chars);
        _text.Write(_chars, 0, count);
        _text.Write('\n');
    }

    /// <summary>Starts writing the filled chunk (once the one before it is written) and fills the other meanwhile.</summary>
    private void Hand()
    {
        Wait();
        var (full, length) = (_chunk, _used);
        (_chunk, _spare, _used) = (_spare, full, 0);
        _writing = Task.Run(() => _stream!.Write(full, 0, length));
    }

    // a failed write (a full disk, a closed pipe) is thrown here, as itself
    private void Wait() => _writing.GetAwaiter().GetResult();

    /// <summary>Writes and flushes the bytes written so far; the stream itself stays open (the writer owns it).</summary>
    public void Dispose()
    {
        if (_stream is null)
        {
            return;
        }
        Wait();
        _stream.Write(_chunk, 0, _used);
        _used = 0;
        _stream.Flush();
    }
}
