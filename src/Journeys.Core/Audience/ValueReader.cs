using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace Journeys.Core.Audience;

/// <summary>
/// Reads JSON straight into <see cref="Value"/>s with a <see cref="Utf8JsonReader"/> (no
/// intermediate document). Property names and short strings repeat across millions of events
/// ("price", "Purchase", "gold"), so they are interned in a bounded table: less garbage to
/// collect and less memory kept by histories and profiles.
/// </summary>
public static class ValueReader
{
    private const int MaxInternedBytes = 32;
    private const int MaxInternedStrings = 50_000;

    private static int _internedCount;

    private static readonly ConcurrentDictionary<string, string> Interned = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> InternedBySpan =
        Interned.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Reads the value at the reader's current token (the reader must be positioned on it).</summary>
    public static Value Read(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return Value.From(ReadFields(ref reader));
            case JsonTokenType.StartArray:
                var items = new List<Value>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(Read(ref reader));
                }
                return Value.From(items.ToArray());
            case JsonTokenType.String:
                return Value.From(ReadString(ref reader));
            case JsonTokenType.Number:
                return Value.From(reader.GetDouble());
            case JsonTokenType.True:
                return Value.True;
            case JsonTokenType.False:
                return Value.False;
            default:
                return Value.Null;
        }
    }

    // an object's fields are gathered here first (a stack: nested objects gather above their parent's), so that its
    // dictionary is made at its size: most objects are kept (profiles, histories), and one sized for four holds seven
    [ThreadStatic] private static KeyValuePair<string, Value>[]? _gathered;
    [ThreadStatic] private static int _gatheredCount;

    private static Dictionary<string, Value> ReadFields(ref Utf8JsonReader reader)
    {
        var start = _gatheredCount;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var name = ReadString(ref reader);
                reader.Read();
                var value = Read(ref reader);
                var gathered = _gathered ??= new KeyValuePair<string, Value>[32];
                if (_gatheredCount == gathered.Length)
                {
                    Array.Resize(ref _gathered, gathered.Length * 2);
                }
                _gathered![_gatheredCount++] = KeyValuePair.Create(name, value);
            }
            var fields = new Dictionary<string, Value>(_gatheredCount - start, StringComparer.Ordinal);
            for (var i = start; i < _gatheredCount; i++)
            {
                fields[_gathered![i].Key] = _gathered[i].Value; // a repeated name: the last value, at the first place
            }
            return fields;
        }
        finally
        {
            _gatheredCount = start;
        }
    }

    /// <summary>The current string or property-name token, interned when short.</summary>
    public static string ReadString(ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence || reader.ValueIsEscaped || reader.ValueSpan.Length > MaxInternedBytes)
        {
            return reader.GetString()!;
        }
        Span<char> chars = stackalloc char[MaxInternedBytes];
        if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var count))
        {
            return reader.GetString()!;
        }
        var span = chars[..count];
        if (InternedBySpan.TryGetValue(span, out var existing))
        {
            return existing;
        }
        return Add(new string(span));
    }

    /// <summary>The shared instance of a short string (definitions use it, so name comparisons are by reference).</summary>
    public static string Intern(string text)
    {
        if (text.Length > MaxInternedBytes)
        {
            return text;
        }
        return InternedBySpan.TryGetValue(text.AsSpan(), out var existing) ? existing : Add(text);
    }

    private static string Add(string created)
    {
        // ConcurrentDictionary.Count takes every lock: keep our own (approximate) count
        if (Volatile.Read(ref _internedCount) >= MaxInternedStrings)
        {
            return created;
        }
        var interned = Interned.GetOrAdd(created, created);
        if (ReferenceEquals(interned, created))
        {
            Interlocked.Increment(ref _internedCount);
        }
        return interned;
    }
}
