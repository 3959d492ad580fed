using System.Buffers.Binary;

namespace Journeys.Core.Runtime;

/// <summary>
/// The timer index of a partitioned replay: it also gives every output record a sort key, so that the
/// outputs of runs over disjoint sets of users, merged by key, come out in exactly the order one run over
/// all users would produce (DESIGN §6: time order; at one instant, the order of processing).
/// </summary>
/// <remarks>
/// One run processes <i>steps</i> in order: the events in file order, and before each event the timers due at
/// or before it, in order of due time and then of scheduling (<see cref="InMemory.InMemoryTimerIndex"/>).
/// A step's key says exactly that: an event is <c>(time, event, file index)</c>; a timer is
/// <c>(due, timer, position where it was scheduled)</c>, and a position is <c>(step key, subject, counter)</c>.
/// The counter orders what one step does; the subject is empty except in a scheduled run, which walks the
/// users in ordinal order, so there it is the user's id. Keys are byte strings whose byte order is that
/// order (numbers big-endian, strings terminated), so the merge compares them with one memcmp, and every
/// partition computes the same key for the same step without knowing the others.
/// A timer due before the step that schedules it would fire out of key order: <see cref="Unreproducible"/> says so.
/// </remarks>
public sealed class ReplayOrder(Func<string, string?> userOfEnrollment) : ITimerIndex
{
    private const byte Seed = 0, Timer = 1, Event = 2;

    private readonly PriorityQueue<(DueItem Item, byte[] Key), (DateTimeOffset, long)> _queue = new();
    private long _sequence;
    private byte[] _step = [.. Number(long.MinValue), Seed];
    private bool _perUser;
    private long _counter;

    /// <summary>Why the merged order would differ from one run's, when it would; null while it holds.</summary>
    public string? Unreproducible { get; private set; }

    /// <summary>The event at <paramref name="at"/>, line <paramref name="index"/> of the log, is processed next.</summary>
    public void BeginEvent(DateTimeOffset at, long index)
    {
        _step = [.. Number(at.UtcTicks), Event, .. Number(index)];
        _perUser = false;
        _counter = 0;
    }

    /// <summary>The key of the next thing the current step does (a record, a message) for <paramref name="user"/>.</summary>
    public byte[] Next(string? user)
    {
        var subject = _perUser && user is not null ? user : "";
        var key = new byte[_step.Length + 3 * (subject.Length + 1) + 8];
        _step.CopyTo(key, 0);
        var at = _step.Length;
        foreach (var c in subject)
        {
            // each UTF-16 unit as c + 1 in three bytes, then three zero bytes: ordinal order, and a prefix sorts first
            var v = c + 1;
            key[at++] = (byte)(v >> 16);
            key[at++] = (byte)(v >> 8);
            key[at++] = (byte)v;
        }
        at += 3;
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(at), _counter++ ^ long.MinValue);
        return key;
    }

    public void Schedule(DueItem item)
    {
        var position = Next(item.EnrollmentId is { } id ? userOfEnrollment(id) : null);
        byte[] key = [.. Number(item.Due.UtcTicks), Timer, .. position];
        if (Unreproducible is null && key.AsSpan().SequenceCompareTo(_step) <= 0)
        {
            Unreproducible = $"a timer due at {item.Due:O} was scheduled by a step that runs no earlier";
        }
        _queue.Enqueue((item, key), (item.Due, _sequence++));
    }

    public bool TryTakeDue(DateTimeOffset upTo, out DueItem item)
    {
        if (_queue.TryPeek(out var entry, out var priority) && priority.Item1 <= upTo)
        {
            _queue.Dequeue();
            item = entry.Item;
            _step = entry.Key;
            _perUser = item.EnrollmentId is null && item.JourneyId is not null; // a scheduled run walks the users
            _counter = 0;
            return true;
        }
        item = default;
        return false;
    }

    public DateTimeOffset? NextDue => _queue.TryPeek(out _, out var priority) ? priority.Item1 : null;

    public bool HasScheduledRun(string journeyId) =>
        _queue.UnorderedItems.Any(entry => entry.Element.Item.JourneyId == journeyId);

    /// <summary>Big-endian with the sign bit flipped: byte order is numeric order.</summary>
    private static byte[] Number(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value ^ long.MinValue);
        return bytes;
    }

    /// <summary>Orders keys as the single run orders what they name.</summary>
    public static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.SequenceCompareTo(b);
}
