using Journeys.Core.Audience;

namespace Journeys.Core.Conditions;

/// <summary>
/// The comparison rules of the condition language: strings case-insensitively, numbers numerically
/// (a numeric string against a number too), and a missing value fails every test but
/// <c>exists: false</c> and <c>ne</c>.
/// </summary>
public static class ValueComparison
{
    public static bool Test(Value value, Operator op, Value operand)
    {
        // a trait or property set to null is the same as an absent one
        if (value.Kind == ValueKind.Null)
        {
            value = Value.Missing;
        }
        if (operand.Kind == ValueKind.Null && op is Operator.Eq or Operator.Ne)
        {
            return value.IsMissing == (op == Operator.Eq);
        }
        if (op == Operator.Exists)
        {
            var exists = value.Kind is not (ValueKind.Missing or ValueKind.Null);
            return exists == operand.AsBool;
        }
        if (value.IsMissing)
        {
            return op == Operator.Ne;
        }
        switch (op)
        {
            case Operator.Eq: return AreEqual(value, operand);
            case Operator.Ne: return !AreEqual(value, operand);
            case Operator.Gt: return Compare(value, operand) is > 0 and not int.MinValue;
            case Operator.Gte: return Compare(value, operand) is >= 0;
            case Operator.Lt: return Compare(value, operand) is < 0 and not int.MinValue;
            case Operator.Lte: return Compare(value, operand) is <= 0 and not int.MinValue;
            case Operator.In: return IsIn(value, operand);
            case Operator.NotIn: return !IsIn(value, operand);
            case Operator.Contains: return Contains(value, operand);
            case Operator.NotContains: return !Contains(value, operand);
            case Operator.StartsWith:
                return value.AsString is { } s && operand.AsString is { } p && s.StartsWith(p, StringComparison.OrdinalIgnoreCase);
            case Operator.EndsWith:
                return value.AsString is { } s2 && operand.AsString is { } p2 && s2.EndsWith(p2, StringComparison.OrdinalIgnoreCase);
            default: return false;
        }
    }

    public static bool AreEqual(Value a, Value b)
    {
        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return string.Equals(a.AsString, b.AsString, StringComparison.OrdinalIgnoreCase);
        }
        if ((a.Kind == ValueKind.Number || b.Kind == ValueKind.Number) && a.TryGetNumber(out var x) && b.TryGetNumber(out var y))
        {
            return x == y;
        }
        if (a.Kind is ValueKind.Array or ValueKind.Object || b.Kind is ValueKind.Array or ValueKind.Object)
        {
            return a.Equals(b);
        }
        return a.Kind == b.Kind && a.Kind is ValueKind.True or ValueKind.False or ValueKind.Null;
    }

    /// <summary>Sign of a - b, or <see cref="int.MinValue"/> when the two are not comparable.</summary>
    public static int Compare(Value a, Value b)
    {
        if ((a.Kind == ValueKind.Number || b.Kind == ValueKind.Number) && a.TryGetNumber(out var x) && b.TryGetNumber(out var y))
        {
            return x.CompareTo(y) switch { < 0 => -1, 0 => 0, _ => 1 };
        }
        if (a.Kind == ValueKind.String && b.Kind == ValueKind.String)
        {
            return Math.Sign(string.Compare(a.AsString, b.AsString, StringComparison.OrdinalIgnoreCase));
        }
        return int.MinValue;
    }

    private static bool IsIn(Value value, Value candidates)
    {
        var list = candidates.AsArray;
        for (var i = 0; i < list.Count; i++)
        {
            if (AreEqual(value, list[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Contains(Value value, Value operand)
    {
        if (value.Kind == ValueKind.Array)
        {
            var items = value.AsArray;
            for (var i = 0; i < items.Count; i++)
            {
                if (AreEqual(items[i], operand))
                {
                    return true;
                }
            }
            return false;
        }
        return value.AsString is { } s && operand.Kind != ValueKind.Missing
            && operand.AsString is { } needle && s.Contains(needle, StringComparison.OrdinalIgnoreCase);
    }
}
