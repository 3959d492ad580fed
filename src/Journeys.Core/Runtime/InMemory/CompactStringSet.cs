namespace Journeys.Core.Runtime.InMemory;

/// <summary>
/// A set of strings that keeps no string objects: the characters go into large shared chunks and the table holds
/// (hash, position) pairs. A replay's message ids are millions of small strings that live to the end; kept as
/// objects, every full collection walks them. Membership is exact: a hash match is confirmed by comparing the
/// characters, so a collision costs a compare, never a dropped event.
/// </summary>
internal sealed class CompactStringSet
{
    private const int ChunkShift = 20;
    private const int ChunkChars = 1 << ChunkShift;

    /// <summary>Each string is stored as its length (two chars) and its chars; position 0 (never used: the first chunk starts at 1) means an empty slot.</summary>
    private readonly List<char[]> _chunks = [new char[ChunkChars]];
    private int _offset = 1;

    /// <summary>Open addressing, linear probing; the hash is kept so growing never re-reads the characters.</summary>
    private Slot[] _slots = new Slot[1024];
    private int _count;

    private struct Slot
    {
        public int Hash;
        public long Position;
    }

    private readonly Func<string, int> _hash;

    /// <param name="hash">The tests' way to force collisions; the ordinal string hash otherwise.</param>
    public CompactStringSet(Func<string, int>? hash = null) => _hash = hash ?? (static s => s.GetHashCode(StringComparison.Ordinal));

    public int Count => _count;

    /// <summary>False when the set held <paramref name="text"/> already.</summary>
    public bool Add(string text)
    {
        var hash = _hash(text);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Position == 0)
            {
                slot.Hash = hash;
                slot.Position = Store(text);
                if (++_count * 4 > _slots.Length * 3)
                {
                    Grow();
                }
                return true;
            }
            if (slot.Hash == hash && Stored(slot.Position).SequenceEqual(text))
            {
                return false;
            }
        }
    }

    private long Store(string text)
    {
        var needed = text.Length + 2;
        var chunk = _chunks[^1];
        if (needed > chunk.Length - _offset)
        {
            // a string never spans chunks: one longer than a chunk gets a chunk of its own (at offset 0, so
            // offsets stay below the chunk size), and the next string starts a fresh chunk after it
            chunk = new char[Math.Max(ChunkChars, needed)];
            _chunks.Add(chunk);
            _offset = 0;
        }
        var position = ((long)(_chunks.Count - 1) << ChunkShift) | (uint)_offset;
        WriteAt(chunk, _offset, text);
        _offset += needed;
        return position;
    }

    private static void WriteAt(char[] chunk, int offset, string text)
    {
        chunk[offset] = (char)(text.Length >> 16);
        chunk[offset + 1] = (char)text.Length;
        text.CopyTo(0, chunk, offset + 2, text.Length);
    }

    private ReadOnlySpan<char> Stored(long position)
    {
        var chunk = _chunks[(int)(position >> ChunkShift)];
        var offset = (int)(position & (ChunkChars - 1));
        var length = (chunk[offset] << 16) | chunk[offset + 1];
        return chunk.AsSpan(offset + 2, length);
    }

    private void Grow()
    {
        var slots = new Slot[_slots.Length * 2];
        var mask = slots.Length - 1;
        foreach (var slot in _slots)
        {
            if (slot.Position == 0)
            {
                continue;
            }
            var i = slot.Hash & mask;
            while (slots[i].Position != 0)
            {
                i = (i + 1) & mask;
            }
            slots[i] = slot;
        }
        _slots = slots;
    }
}
