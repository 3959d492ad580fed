using System.Buffers.Binary;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Local.Cli;

/// <summary>
/// <c>simulate --partitions N</c>: a log larger than memory, replayed in N runs over disjoint sets of users
/// (by a hash of the user id), at most <c>--parallel</c> at a time, each holding only its users' state. The log is
/// split into temporary files (read and checked once, as the single run reads it); each run writes its records
/// and messages with their <see cref="ReplayOrder"/> keys to a file of its own; a k-way merge by key writes the
/// trace (and outbox) byte for byte as the single run does. The temporary files are deleted at the end.
/// </summary>
internal static class PartitionedReplay
{
    private const byte TraceEntry = 0, SendEntry = 1;

    public static SimulationResult Run(
        Simulator simulator, Stream events, string sourceName, int partitions, int parallel,
        Action<ReadOnlySpan<byte>> traceLine, Action<ReadOnlySpan<byte>>? outboxLine, TextWriter errors)
    {
        var folder = Directory.CreateTempSubdirectory("journeys-simulate-");
        try
        {
            var inputs = Enumerable.Range(0, partitions).Select(p => Path.Combine(folder.FullName, $"events-{p}.bin")).ToArray();
            var outputs = Enumerable.Range(0, partitions).Select(p => Path.Combine(folder.FullName, $"output-{p}.bin")).ToArray();
            (long Accepted, long Duplicates, long Rejected, long Skipped) counts;
            DateTimeOffset? last;
            var writers = inputs.Select(Create).ToArray();
            try
            {
                counts = simulator.Split(events, sourceName, errors, (e, line) => WriteEvent(writers[Partition(e.Event.UserId, partitions)], e, line.Span), out last);
            }
            finally
            {
                foreach (var w in writers) w.Dispose();
            }

            var summaries = new TraceSummary[partitions];
            Parallel.For(0, partitions, new ParallelOptions { MaxDegreeOfParallelism = parallel }, p =>
            {
                using var output = Create(outputs[p]);
                using var lines = new TraceLineWriter(TextWriter.Null);
                var outbox = new MemoryStream();
                using var messages = new OutboxLineWriter(outbox);
                summaries[p] = simulator.RunPartition(
                    ReadEvents(inputs[p]),
                    last,
                    (key, record) => WriteEntry(output, key, TraceEntry, lines.Format(record)),
                    outboxLine is null ? null : (key, message) =>
                    {
                        outbox.SetLength(0);
                        messages.Write(message);
                        WriteEntry(output, key, SendEntry, outbox.GetBuffer().AsSpan(0, (int)outbox.Length - 1));
                    });
                File.Delete(inputs[p]);
            });

            Merge(outputs, traceLine, outboxLine);
            var summary = new TraceSummary();
            foreach (var s in summaries) summary.Add(s);
            return new SimulationResult(counts.Accepted, counts.Duplicates, counts.Rejected, counts.Skipped, summary);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A stable partition of the user id (not string.GetHashCode, which changes per process).</summary>
    internal static int Partition(string userId, int partitions)
    {
        var hash = 2166136261u;
        foreach (var c in userId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)partitions);
    }

    private static BinaryWriter Create(string path) => new(new BufferedStream(File.Create(path), 1 << 16));

    private static void WriteEvent(BinaryWriter writer, ReplayEvent e, ReadOnlySpan<byte> line)
    {
        writer.Write(e.Index);
        writer.Write(e.At.UtcTicks);
        writer.Write((short)e.At.Offset.TotalMinutes);
        writer.Write(line.Length);
        writer.Write(line);
    }

    /// <summary>A partition's events, parsed again from their lines (they parsed once already, so they parse now).</summary>
    private static IEnumerable<ReplayEvent> ReadEvents(string path)
    {
        using var reader = new BinaryReader(new BufferedStream(File.OpenRead(path), 1 << 16));
        var buffer = new byte[4096];
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var index = reader.ReadInt64();
            var ticks = reader.ReadInt64();
            var offset = TimeSpan.FromMinutes(reader.ReadInt16());
            var length = reader.ReadInt32();
            if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
            reader.BaseStream.ReadExactly(buffer, 0, length);
            var e = EventParser.Parse(buffer.AsSpan(0, length)).Event
                ?? throw new InvalidDataException($"{path}: an event that parsed once does not parse again");
            yield return new ReplayEvent(index, new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(offset), e);
        }
    }

    private static void WriteEntry(BinaryWriter output, byte[] key, byte kind, ReadOnlySpan<byte> payload)
    {
        output.Write(key.Length);
        output.Write(key);
        output.Write(kind);
        output.Write(payload.Length);
        output.Write(payload);
    }

    /// <summary>Each partition's output is in key order already: a merge by key is the single run's order.</summary>
    private static void Merge(string[] outputs, Action<ReadOnlySpan<byte>> traceLine, Action<ReadOnlySpan<byte>>? outboxLine)
    {
        var readers = outputs.Select(p => new EntryReader(p)).ToArray();
        try
        {
            // a scan of the heads: N is small (a few per core), so a heap would save nothing worth its code
            var live = readers.Where(r => r.Next()).ToList();
            while (live.Count > 0)
            {
                var min = 0;
                for (var i = 1; i < live.Count; i++)
                {
                    if (ReplayOrder.Compare(live[i].Key, live[min].Key) < 0) min = i;
                }
                var r = live[min];
                if (r.Kind == TraceEntry) traceLine(r.Payload);
                else outboxLine?.Invoke(r.Payload);
                if (!r.Next()) live.RemoveAt(min);
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    private sealed class EntryReader(string path) : IDisposable
    {
        private readonly BinaryReader _reader = new(new BufferedStream(File.OpenRead(path), 1 << 16));
        private byte[] _payload = new byte[1024];
        private int _length;

        public byte[] Key { get; private set; } = [];

        public byte Kind { get; private set; }

        public ReadOnlySpan<byte> Payload => _payload.AsSpan(0, _length);

        public bool Next()
        {
            if (_reader.BaseStream.Position >= _reader.BaseStream.Length) return false;
            Key = _reader.ReadBytes(_reader.ReadInt32());
            Kind = _reader.ReadByte();
            _length = _reader.ReadInt32();
            if (_payload.Length < _length) _payload = new byte[Math.Max(_length, _payload.Length * 2)];
            _reader.BaseStream.ReadExactly(_payload, 0, _length);
            return true;
        }

        public void Dispose() => _reader.Dispose();
    }
}
