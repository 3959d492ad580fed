using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Conditions;

namespace Journeys.Core.Definitions;

/// <summary>Reads the JSON forms of the condition language (DESIGN §4) into <see cref="Condition"/> records.</summary>
internal static class ConditionReader
{
    private static readonly string[] Forms = ["property", "trait", "performed", "notPerformed", "inSegment", "all", "any", "not"];

    private static readonly Dictionary<string, Operator> Operators = new(StringComparer.Ordinal)
    {
        ["eq"] = Operator.Eq, ["ne"] = Operator.Ne, ["gt"] = Operator.Gt, ["gte"] = Operator.Gte,
        ["lt"] = Operator.Lt, ["lte"] = Operator.Lte, ["in"] = Operator.In, ["notIn"] = Operator.NotIn,
        ["contains"] = Operator.Contains, ["notContains"] = Operator.NotContains,
        ["startsWith"] = Operator.StartsWith, ["endsWith"] = Operator.EndsWith, ["exists"] = Operator.Exists,
    };

    private static readonly Dictionary<string, DateTestKind> DateForms = new(StringComparer.Ordinal)
    {
        ["withinNext"] = DateTestKind.WithinNext,
        ["withinLast"] = DateTestKind.WithinLast,
        ["anniversaryWithinNext"] = DateTestKind.AnniversaryWithinNext,
    };

    private static readonly Dictionary<string, CountOperator> CountOperators = new(StringComparer.Ordinal)
    {
        ["gte"] = CountOperator.Gte, ["gt"] = CountOperator.Gt, ["eq"] = CountOperator.Eq,
        ["lte"] = CountOperator.Lte, ["lt"] = CountOperator.Lt,
    };

    /// <summary>An optional condition field; null when absent or broken (the problem is recorded).</summary>
    public static Condition? Optional(ReadContext ctx, JsonElement parent, string path, string name)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return Read(ctx, element, JsonPath.Field(path, name));
    }

    public static Condition Required(ReadContext ctx, JsonElement parent, string path, string name)
    {
        if (!parent.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            ctx.Problem(JsonPath.Field(path, name), $"'{name}' is required");
            return Never;
        }
        return Read(ctx, element, JsonPath.Field(path, name));
    }

    /// <summary>What a broken condition reads as, so the rest of the definition can still be checked.</summary>
    private static readonly Condition Never = new NotOf(new AllOf([]));

    public static Condition Read(ReadContext ctx, JsonElement element, string path)
    {
        if (!ctx.ExpectObject(element, path, "a condition"))
        {
            return Never;
        }
        var forms = Forms.Where(f => element.TryGetProperty(f, out _)).ToList();
        if (forms.Count != 1)
        {
            ctx.Problem(path, forms.Count == 0
                ? $"a condition needs one of: {string.Join(", ", Forms)}"
                : $"a condition has exactly one form, not {string.Join(" and ", forms)}");
            return Never;
        }
        return forms[0] switch
        {
            "property" => ValueOrDate(ctx, element, path, ValueSource.Property),
            "trait" => ValueOrDate(ctx, element, path, ValueSource.Trait),
            "performed" => History(ctx, element, path, negated: false),
            "notPerformed" => History(ctx, element, path, negated: true),
            "inSegment" => Segment(ctx, element, path),
            "all" => new AllOf(List(ctx, element, path, "all")),
            "any" => new AnyOf(List(ctx, element, path, "any")),
            _ => Not(ctx, element, path),
        };
    }

    private static Condition ValueOrDate(ReadContext ctx, JsonElement element, string path, ValueSource source)
    {
        var field = source == ValueSource.Trait ? "trait" : "property";
        var target = ctx.String(element, path, field, required: true) ?? "";
        var ops = element.EnumerateObject().Where(p => Operators.ContainsKey(p.Name)).ToList();
        var dates = source == ValueSource.Trait ? element.EnumerateObject().Where(p => DateForms.ContainsKey(p.Name)).ToList() : [];
        var allowed = source == ValueSource.Trait ? [field, .. Operators.Keys, .. DateForms.Keys] : new[] { field }.Concat(Operators.Keys).ToArray();
        ctx.RejectUnknownFields(element, path, allowed);
        if (ops.Count + dates.Count != 1)
        {
            var choices = source == ValueSource.Trait ? "an operator or a date form (withinNext, withinLast, anniversaryWithinNext)" : "an operator";
            ctx.Problem(path, ops.Count + dates.Count == 0
                ? $"a {field} test needs {choices}: {string.Join(", ", Operators.Keys)}"
                : $"a {field} test has exactly one operator, not {string.Join(" and ", ops.Concat(dates).Select(p => p.Name))}");
            return Never;
        }
        if (dates.Count == 1)
        {
            var duration = ctx.Duration(element, path, dates[0].Name, required: true);
            return duration is null ? Never : new DateTest(target, DateForms[dates[0].Name], duration.Value);
        }
        var op = Operators[ops[0].Name];
        var operand = ops[0].Value;
        var at = JsonPath.Field(path, ops[0].Name);
        var ok = op switch
        {
            Operator.In or Operator.NotIn => operand.ValueKind == JsonValueKind.Array
                && operand.EnumerateArray().All(i => i.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False),
            Operator.Exists => operand.ValueKind is JsonValueKind.True or JsonValueKind.False,
            Operator.Gt or Operator.Gte or Operator.Lt or Operator.Lte => operand.ValueKind is JsonValueKind.Number or JsonValueKind.String,
            Operator.StartsWith or Operator.EndsWith => operand.ValueKind == JsonValueKind.String,
            _ => operand.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null,
        };
        if (!ok)
        {
            var expected = op switch
            {
                Operator.In or Operator.NotIn => "an array of strings, numbers or booleans",
                Operator.Exists => "true or false",
                Operator.Gt or Operator.Gte or Operator.Lt or Operator.Lte => "a number or a string",
                Operator.StartsWith or Operator.EndsWith => "a string",
                _ => "a string, number, boolean or null",
            };
            ctx.Problem(at, $"'{ops[0].Name}' takes {expected}, not {EventParser.Kind(operand.ValueKind)}");
            return Never;
        }
        return new ValueTest(source, target, op, ReadContext.Operand(operand));
    }

    private static Condition History(ReadContext ctx, JsonElement element, string path, bool negated)
    {
        var field = negated ? "notPerformed" : "performed";
        ctx.RejectUnknownFields(element, path, negated ? [field, "where", "within", "since"] : [field, "where", "within", "since", "count"]);
        var name = ctx.String(element, path, field, required: true) ?? "";
        var where = Optional(ctx, element, path, "where");
        var within = ctx.Duration(element, path, "within", required: false);
        var since = ctx.String(element, path, "since", required: false);
        if (since is not null && since != "entry")
        {
            ctx.Problem(JsonPath.Field(path, "since"), $"'since' can only be \"entry\", not \"{since}\"");
        }
        if (since is not null && ReadContext.Has(element, "within"))
        {
            ctx.Problem(path, "use 'within' or 'since', not both");
        }
        var count = CountTest.AtLeastOnce;
        if (element.TryGetProperty("count", out var countElement) && countElement.ValueKind != JsonValueKind.Null)
        {
            count = Count(ctx, countElement, JsonPath.Field(path, "count"));
        }
        return new HistoryTest(name, negated, where, within, since == "entry", count);
    }

    private static CountTest Count(ReadContext ctx, JsonElement element, string path)
    {
        if (!ctx.ExpectObject(element, path, "'count'"))
        {
            return CountTest.AtLeastOnce;
        }
        ctx.RejectUnknownFields(element, path, [.. CountOperators.Keys]);
        var ops = element.EnumerateObject().Where(p => CountOperators.ContainsKey(p.Name)).ToList();
        if (ops.Count != 1)
        {
            ctx.Problem(path, "'count' has exactly one of: gte, gt, eq, lte, lt");
            return CountTest.AtLeastOnce;
        }
        var n = ctx.Integer(element, path, ops[0].Name, min: 0, required: true);
        return n is null ? CountTest.AtLeastOnce : new CountTest(CountOperators[ops[0].Name], n.Value);
    }

    private static Condition Segment(ReadContext ctx, JsonElement element, string path)
    {
        ctx.RejectUnknownFields(element, path, "inSegment");
        var id = ctx.SegmentReference(element, path, "inSegment", required: true);
        return id is null ? Never : new InSegment(id);
    }

    private static List<Condition> List(ReadContext ctx, JsonElement element, string path, string field)
    {
        ctx.RejectUnknownFields(element, path, field);
        var at = JsonPath.Field(path, field);
        var list = element.GetProperty(field);
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            ctx.Problem(at, $"'{field}' must be a non-empty array of conditions");
            return [Never];
        }
        return list.EnumerateArray().Select((c, i) => Read(ctx, c, JsonPath.Index(at, i))).ToList();
    }

    private static Condition Not(ReadContext ctx, JsonElement element, string path)
    {
        ctx.RejectUnknownFields(element, path, "not");
        return new NotOf(Read(ctx, element.GetProperty("not"), JsonPath.Field(path, "not")));
    }
}
