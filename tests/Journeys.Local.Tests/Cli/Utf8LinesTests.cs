using System.Text;
using Journeys.Local.Cli;

namespace Journeys.Local.Tests.Cli;

/// <summary>
/// The CLI's stdout path: lines written to the stream under a UTF-8 writer a megabyte at a time (the chunk handed to
/// another thread while the next fills) come out exactly as written, in order, whatever their lengths.
/// </summary>
public sealed class Utf8LinesTests
{
    [Fact]
    public void Lines_across_many_chunks_and_one_longer_than_a_chunk_come_out_in_order_byte_for_byte()
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, 40_000)
            .Select(i => i == 20_000 ? new string('x', 3_000_000) : $"{{\"n\":{i},\"text\":\"{new string((char)('a' + i % 26), random.Next(0, 200))} é ✓\"}}")
            .ToList();
        var output = new MemoryStream();
        var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        using (var utf8 = Utf8Lines.Over(writer))
        {
            foreach (var line in lines)
            {
                utf8.Write(Encoding.UTF8.GetBytes(line));
            }
        }

        Assert.True(output.Length > 4 << 20, "the lines fill too few chunks to test the hand-over");
        Assert.Equal(string.Concat(lines.Select(l => l + "\n")), Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void A_failed_write_is_thrown_as_itself()
    {
        var writer = new StreamWriter(new FailingStream(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        var utf8 = Utf8Lines.Over(writer);

        var failure = Assert.Throws<IOException>(() =>
        {
            for (var i = 0; i < 100_000; i++) utf8.Write("a line of the trace, over and over"u8);
            utf8.Dispose();
        });
        Assert.Equal("No space left on device", failure.Message);
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");

        public override void Write(ReadOnlySpan<byte> buffer) => throw new IOException("No space left on device");
    }
}
