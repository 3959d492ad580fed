using System.Text;

namespace Journeys.Local.Cli;

/// <summary>
/// Writes UTF-8 lines to a text writer. Over the CLI's stdout (a UTF-8 <see cref="StreamWriter"/>) the bytes go
/// straight to its stream through one buffer, with no decoding to chars and back; over any other writer (tests
/// capture a <see cref="StringWriter"/>) they are decoded. Either way the text is the same.
/// </summary>
internal sealed class Utf8Lines : IDisposable
{
    private readonly Stream? _stream;
    private readonly TextWriter _text;
    private char[] _chars = new char[512];

    private Utf8Lines(TextWriter text, Stream? stream)
    {
        _text = text;
        _stream = stream;
    }

    public static Utf8Lines Over(TextWriter writer)
    {
        if (writer is StreamWriter { Encoding: UTF8Encoding } stream && stream.Encoding.GetPreamble().Length == 0)
        {
            stream.Flush();
            return new Utf8Lines(writer, new BufferedStream(stream.BaseStream, 1 << 16));
        }
        return new Utf8Lines(writer, null);
    }

    public void Write(ReadOnlySpan<byte> line)
    {
        if (_stream is not null)
        {
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            return;
        }
        var needed = Encoding.UTF8.GetMaxCharCount(line.Length);
        if (_chars.Length < needed) _chars = new char[needed];
        var count = Encoding.UTF8.GetChars(line, _chars);
        _text.Write(_chars, 0, count);
        _text.Write('\n');
    }

    /// <summary>Flushes the bytes written so far; the stream itself stays open (the writer owns it).</summary>
    public void Dispose() => _stream?.Flush();
}
