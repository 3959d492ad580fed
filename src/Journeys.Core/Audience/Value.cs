using System.Globalization;
using System.Text.Json;

namespace Journeys.Core.Audience;

/// <summary>
/// An immutable JSON value for event properties and profile traits. Our own small DOM rather than
/// <see cref="JsonElement"/> so that conditions can read strings, numbers and nested objects
/// without allocating (dictionary look-ups, span parsing, ordinal-ignore-case comparison).
/// </summary>
public readonly struct Value : IEquatable<Value>
{
    private readonly object? _ref;
    private readonly double _number;

    private Value(ValueKind kind, double number, object? reference)
    {
        Kind = kind;
        _number = number;
        _ref = reference;
    }

    public ValueKind Kind { get; }

    public static Value Missing => default;
    public static Value Null { get; } = new(ValueKind.Null, 0, null);
    public static Value True { get; } = new(ValueKind.True, 0, null);
    public static Value False { get; } = new(ValueKind.False, 0, null);

    public static Value From(bool b) => b ? True : False;
    public static Value From(double d) => new(ValueKind.Number, d, null);
    public static Value From(string s) => new(ValueKind.String, 0, s);
    public static Value From(IReadOnlyList<Value> items) => new(ValueKind.Array, 0, items);
    public static Value From(IReadOnlyDictionary<string, Value> fields) => new(ValueKind.Object, 0, fields);

    public bool IsMissing => Kind == ValueKind.Missing;
    public bool AsBool => Kind == ValueKind.True;
    public double AsNumber => _number;
    public string? AsString => Kind == ValueKind.String ? (string)_ref! : null;
    public IReadOnlyList<Value> AsArray => Kind == ValueKind.Array ? (IReadOnlyList<Value>)_ref! : [];
    public IReadOnlyDictionary<string, Value>? AsObject => Kind == ValueKind.Object ? (IReadOnlyDictionary<string, Value>)_ref! : null;

    /// <summary>A field of an object; <see cref="Missing"/> for anything else.</summary>
    public Value this[string name]
    {
        get
        {
            Value v;
            // every object we build is a Dictionary: test for it first and skip the interface call
            if (_ref is Dictionary<string, Value> fields)
            {
                return fields.TryGetValue(name, out v) ? v : default;
            }
            return Kind == ValueKind.Object && ((IReadOnlyDictionary<string, Value>)_ref!).TryGetValue(name, out v) ? v : default;
        }
    }

    /// <summary>Follows a pre-split dotted path (compiled once, so no allocation here).</summary>
    public Value Get(string[] path)
    {
        var current = this;
        foreach (var segment in path)
        {
            current = current[segment];
            if (current.IsMissing)
            {
                return current;
            }
        }
        return current;
    }

    /// <summary>A number, or a string that parses as one (the condition language compares those numerically).</summary>
    public bool TryGetNumber(out double number)
    {
        if (Kind == ValueKind.Number)
        {
            number = _number;
            return true;
        }
        if (Kind == ValueKind.String)
        {
            return double.TryParse(((string)_ref!).AsSpan(), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
        }
        number = 0;
        return false;
    }

    public static Value FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null => Null,
        JsonValueKind.True => True,
        JsonValueKind.False => False,
        JsonValueKind.Number => From(element.GetDouble()),
        JsonValueKind.String => From(element.GetString()!),
        JsonValueKind.Array => From(element.EnumerateArray().Select(FromJson).ToArray()),
        JsonValueKind.Object => From(ObjectFromJson(element)),
        _ => Missing,
    };

    public static Dictionary<string, Value> ObjectFromJson(JsonElement element)
    {
        var fields = new Dictionary<string, Value>(element.GetPropertyCount(), StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            fields[property.Name] = FromJson(property.Value);
        }
        return fields;
    }

    public void WriteTo(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case ValueKind.Missing:
            case ValueKind.Null:
                writer.WriteNullValue();
                break;
            case ValueKind.True:
            case ValueKind.False:
                writer.WriteBooleanValue(AsBool);
                break;
            case ValueKind.Number:
                writer.WriteNumberValue(_number);
                break;
            case ValueKind.String:
                writer.WriteStringValue((string)_ref!);
                break;
            case ValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in AsArray)
                {
                    item.WriteTo(writer);
                }
                writer.WriteEndArray();
                break;
            case ValueKind.Object:
                writer.WriteStartObject();
                foreach (var (name, value) in AsObject!)
                {
                    writer.WritePropertyName(name);
                    value.WriteTo(writer);
                }
                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>A plain CLR graph (dictionaries, lists, strings, doubles, bools) for template rendering.</summary>
    public object? ToPlain() => Kind switch
    {
        ValueKind.True => true,
        ValueKind.False => false,
        ValueKind.Number => _number,
        ValueKind.String => _ref,
        ValueKind.Array => AsArray.Select(v => v.ToPlain()).ToList(),
        ValueKind.Object => AsObject!.ToDictionary(kv => kv.Key, kv => kv.Value.ToPlain(), StringComparer.Ordinal),
        _ => null,
    };

    public override string ToString() => Kind switch
    {
        ValueKind.String => (string)_ref!,
        ValueKind.Number => _number.ToString(CultureInfo.InvariantCulture),
        ValueKind.True => "true",
        ValueKind.False => "false",
        ValueKind.Null => "null",
        ValueKind.Missing => "",
        _ => ToJson(),
    };

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public bool Equals(Value other) => Kind == other.Kind && Kind switch
    {
        ValueKind.Number => _number.Equals(other._number),
        ValueKind.String => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
        ValueKind.Array => AsArray.SequenceEqual(other.AsArray),
        ValueKind.Object => AsObject!.Count == other.AsObject!.Count
            && AsObject.All(kv => other.AsObject.TryGetValue(kv.Key, out var o) && kv.Value.Equals(o)),
        _ => true,
    };

    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    public override int GetHashCode() => HashCode.Combine(Kind, _number, _ref is string s ? s.GetHashCode(StringComparison.Ordinal) : 0);

    public static bool operator ==(Value left, Value right) => left.Equals(right);

    public static bool operator !=(Value left, Value right) => !left.Equals(right);
}
