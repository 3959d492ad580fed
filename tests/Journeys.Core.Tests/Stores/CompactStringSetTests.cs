using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Stores;

/// <summary>The dedupe set without string objects: exact membership across growth, chunk ends and long strings.</summary>
public sealed class CompactStringSetTests
{
    [Fact]
    public void Agrees_with_a_hash_set_over_many_strings_of_every_length()
    {
        var set = new CompactStringSet();
        var reference = new HashSet<string>(StringComparer.Ordinal);
        var random = new Random(7);
        for (var i = 0; i < 200_000; i++)
        {
            // short ids that repeat, and now and then one long enough to cross a chunk's end or fill a chunk of its own
            var text = random.Next(1000) switch
            {
                0 => new string((char)('a' + random.Next(3)), random.Next(1 << 19, (1 << 20) + 10)),
                < 5 => new string('x', random.Next(0, 3)),
                _ => $"m-{random.Next(150_000)}",
            };
            Assert.Equal(reference.Add(text), set.Add(text));
        }
        Assert.Equal(reference.Count, set.Count);
        foreach (var text in reference)
        {
            Assert.False(set.Add(text));
        }
    }

    [Fact]
    public void Strings_with_the_same_hash_are_told_apart_by_their_characters()
    {
        // every string hashes alike: membership rests on the character compare alone, through growth too
        var set = new CompactStringSet(_ => 42);
        for (var i = 0; i < 3000; i++)
        {
            Assert.True(set.Add($"id-{i}"));
        }
        for (var i = 0; i < 3000; i++)
        {
            Assert.False(set.Add($"id-{i}"));
        }
        Assert.True(set.Add("id-3000"));
        Assert.Equal(3001, set.Count);
    }

    [Fact]
    public void Strings_that_fill_a_chunk_exactly_continue_in_the_next()
    {
        // 1,023 strings of 1,023 chars (each stored as 1,025) fill the first chunk to its last char (it starts at 1)
        var set = new CompactStringSet();
        for (var i = 0; i < 3000; i++)
        {
            Assert.True(set.Add(i.ToString("D1023")));
        }
        for (var i = 0; i < 3000; i++)
        {
            Assert.False(set.Add(i.ToString("D1023")));
        }
    }
}
