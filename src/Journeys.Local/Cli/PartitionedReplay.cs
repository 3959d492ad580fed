using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
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
    private const int Batch = 512;

    public static SimulationResult Run(
        Simulator simulator, Stream events, string sourceName, int partitions, int parallel,
        Action<ReadOnlySpan<byte>> traceLine, Action<ReadOnlySpan<byte>>? outboxLine, TextWriter errors, Action<string>? stages = null)
    {
        var started = Stopwatch.GetTimestamp();
        var folder = Directory.CreateTempSubdirectory("journeys-simulate-");
        try
        {
            var inputs = Enumerable.Range(0, partitions).Select(p => Path.Combine(folder.FullName, $"events-{p}.bin")).ToArray();
            var outputs = Enumerable.Range(0, partitions).Select(p => Path.Combine(folder.FullName, $"output-{p}.bin")).ToArray();
            var summaries = new TraceSummary[partitions];
            DateTimeOffset? last = null;
            void Replay(int p, IEnumerable<ReplayEvent> events)
            {
                using var output = Create(outputs[p]);
                using var lines = new TraceLineWriter(TextWriter.Null);
                var outbox = new MemoryStream();
                using var messages = new OutboxLineWriter(outbox);
                summaries[p] = simulator.RunPartition(
                    events,
                    () => last,
                    (key, record) => WriteEntry(output, key, TraceEntry, lines.Format(record)),
                    outboxLine is null ? null : (key, message) =>
                    {
                        outbox.SetLength(0);
                        messages.Write(message);
                        WriteEntry(output, key, SendEntry, outbox.GetBuffer().AsSpan(0, (int)outbox.Length - 1));
                    });
            }

            // the first `parallel` partitions replay while the log is read, from the events it parses (no second parse,
            // no file); the others wait in files for their turn
            var live = Math.Min(parallel, partitions);
            var counts = ReadAndReplayLive(simulator, events, sourceName, errors, partitions, live, inputs, Replay, out last);
            Parallel.For(live, partitions, new ParallelOptions { MaxDegreeOfParallelism = parallel }, p =>
            {
                Replay(p, ReadEvents(inputs[p]));
                File.Delete(inputs[p]);
            });

            var replayed = Stopwatch.GetTimestamp();
            Merge(outputs, traceLine, outboxLine);
            stages?.Invoke($"log read with {live} partition(s) replayed alongside, then {partitions - live} more, in {Stopwatch.GetElapsedTime(started, replayed).TotalSeconds:F2} s; "
                + $"merged in {Stopwatch.GetElapsedTime(replayed).TotalSeconds:F2} s");
            var summary = new TraceSummary();
            foreach (var s in summaries) summary.Add(s);
            return new SimulationResult(counts.Accepted, counts.Duplicates, counts.Rejected, counts.Skipped, summary);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Reads the log once (<see cref="Simulator.Split"/>): events of partitions below <paramref name="live"/> go straight
    /// to their replays, running meanwhile on threads of their own through bounded queues; the others to their files.
    /// A replay that fails stops the read, and a read that fails stops the replays; the first failure is thrown.
    /// </summary>
    internal static (long Accepted, long Duplicates, long Rejected, long Skipped) ReadAndReplayLive(
        Simulator simulator, Stream events, string sourceName, TextWriter errors, int partitions, int live, string[] inputs,
        Action<int, IEnumerable<ReplayEvent>> replay, out DateTimeOffset? last)
    {
        using var stop = new CancellationTokenSource();
        // events go over in batches: one hand-over per event costs a thread switch too often
        var queues = Enumerable.Range(0, live).Select(_ => new BlockingCollection<ReplayEvent[]>(boundedCapacity: 16)).ToArray();
        var batches = Enumerable.Range(0, live).Select(_ => new List<ReplayEvent>(Batch)).ToArray();
        var runs = Enumerable.Range(0, live).Select(p => Task.Factory.StartNew(() =>
        {
            try
            {
                replay(p, queues[p].GetConsumingEnumerable(stop.Token).SelectMany(batch => batch));
            }
            catch
            {
                stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        var writers = new BinaryWriter?[partitions];
        for (var p = live; p < partitions; p++) writers[p] = Create(inputs[p]);
        Exception? failure = null;
        (long, long, long, long) counts = default;
        last = null;
        try
        {
            counts = simulator.Split(events, sourceName, errors, (e, line) =>
            {
                var p = Partition(e.Event.UserId, partitions);
                if (p < live)
                {
                    batches[p].Add(e);
                    if (batches[p].Count == Batch)
                    {
                        queues[p].Add([.. batches[p]], stop.Token);
                        batches[p].Clear();
                    }
                }
                else WriteEvent(writers[p]!, e, line.Span);
            }, out last);
            for (var p = 0; p < live; p++)
            {
                queues[p].Add([.. batches[p]], stop.Token);
            }
        }
        catch (Exception e)
        {
            failure = e;
            stop.Cancel();
        }
        finally
        {
            foreach (var w in writers) w?.Dispose();
            foreach (var q in queues) q.CompleteAdding();
        }
        try
        {
            Task.WaitAll(runs);
        }
        catch (AggregateException e)
        {
            // a replay's own failure, not the cancellation it caused in the others or in the read
            var own = e.InnerExceptions.FirstOrDefault(x => x is not OperationCanceledException);
            if (failure is null or OperationCanceledException)
            {
                failure = own ?? failure ?? e.InnerExceptions[0];
            }
        }
        foreach (var q in queues) q.Dispose();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        return counts;
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
        var remaining = reader.BaseStream.Length;
        while (remaining > 0)
        {
            var index = reader.ReadInt64();
            var ticks = reader.ReadInt64();
            var offset = TimeSpan.FromMinutes(reader.ReadInt16());
            var length = reader.ReadInt32();
            if (buffer.Length < length) buffer = new byte[Math.Max(length, buffer.Length * 2)];
            reader.BaseStream.ReadExactly(buffer, 0, length);
            remaining -= 8 + 8 + 2 + 4 + length;
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
            // the heads in a heap (tens of partitions at a million users); equal keys, which the order never makes, by partition
            var heads = new PriorityQueue<int, int>(Comparer<int>.Create((a, b) =>
                ReplayOrder.Compare(readers[a].Key, readers[b].Key) is var c and not 0 ? c : a.CompareTo(b)));
            for (var i = 0; i < readers.Length; i++)
            {
                if (readers[i].Next()) heads.Enqueue(i, i);
            }
            while (heads.TryDequeue(out var i, out _))
            {
                var r = readers[i];
                if (r.Kind == TraceEntry) traceLine(r.Payload);
                else outboxLine?.Invoke(r.Payload);
                if (r.Next()) heads.Enqueue(i, i);
            }
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    /// <summary>A partition's output, entry by entry, from one large buffer (the merge reads a gigabyte of them at 1,000,000 users).</summary>
    private sealed class EntryReader(string path) : IDisposable
    {
        private readonly FileStream _file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        private byte[] _buffer = new byte[1 << 18];
        private int _start, _end;

        private int _keyAt, _keyLength, _payloadAt, _payloadLength;

        public ReadOnlySpan<byte> Key => _buffer.AsSpan(_keyAt, _keyLength);

        public byte Kind { get; private set; }

        public ReadOnlySpan<byte> Payload => _buffer.AsSpan(_payloadAt, _payloadLength);

        public bool Next()
        {
            if (!Ensure(4)) return false;
            var keyLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
            if (!Ensure(4 + keyLength + 1 + 4)) throw Truncated();
            var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + 4 + keyLength + 1));
            var size = 4 + keyLength + 1 + 4 + payloadLength;
            if (!Ensure(size)) throw Truncated();
            (_keyAt, _keyLength) = (_start + 4, keyLength);
            Kind = _buffer[_start + 4 + keyLength];
            (_payloadAt, _payloadLength) = (_start + 4 + keyLength + 5, payloadLength);
            _start += size;
            return true;
        }

        /// <summary>At least <paramref name="count"/> unread bytes in the buffer; false at the end of the file.</summary>
        private bool Ensure(int count)
        {
            if (_end - _start >= count) return true;
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
            if (_buffer.Length < count) Array.Resize(ref _buffer, Math.Max(count, _buffer.Length * 2));
            while (_end < count)
            {
                var read = _file.Read(_buffer, _end, _buffer.Length - _end);
                if (read == 0) return false;
                _end += read;
            }
            return true;
        }

        private InvalidDataException Truncated() => new($"{path}: a partition's output ends inside an entry");

        public void Dispose() => _file.Dispose();
    }
}
