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
                var fields = new Dictionary<string, Value>(4, StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = ReadString(ref reader);
                    reader.Read();
                    fields[name] = Read(ref reader);
                }
                return Value.From(fields);
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
