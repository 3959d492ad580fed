using System.Globalization;
using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Core.Definitions;

/// <summary>
/// Reading state for one definition file: collects every problem with its JSON path and hands back
/// a usable default after each one, so one mistake never hides the next.
/// </summary>
internal sealed class ReadContext(string file)
{
    public string File { get; } = file;

    public List<DefinitionProblem> Problems { get; } = [];

    /// <summary>Every segment id referenced, with where (checked once all files are read).</summary>
    public List<(string Segment, string Path)> SegmentReferences { get; } = [];

    public void Problem(string path, string message) => Problems.Add(new DefinitionProblem(File, path, message));

    public bool ExpectObject(JsonElement element, string path, string what)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }
        Problem(path, $"{what} must be an object, not {EventParser.Kind(element.ValueKind)}");
        return false;
    }

    /// <summary>Reports fields an object may not have; <c>$schema</c> and <c>description</c> are always allowed.</summary>
    public void RejectUnknownFields(JsonElement obj, string path, params string[] allowed)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Name is "$schema" or "description" || allowed.Contains(property.Name))
            {
                continue;
            }
            Problem(JsonPath.Field(path, property.Name), $"unknown field '{property.Name}' (expected one of: {string.Join(", ", allowed)})");
        }
    }

    public static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(JsonElement obj, string path, string name, bool required)
    {
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(JsonPath.Field(path, name), $"'{name}' is required");
            }
            return null;
        }
        if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
        {
            Problem(JsonPath.Field(path, name), $"'{name}' must be a non-empty string");
            return null;
        }
        return ValueReader.Intern(element.GetString()!);
    }

    public IsoDuration? Duration(JsonElement obj, string path, string name, bool required)
    {
        var text = String(obj, path, name, required);
        if (text is null)
        {
            return null;
        }
        if (!IsoDuration.TryParse(text, out var duration))
        {
            Problem(JsonPath.Field(path, name), $"'{text}' is not an ISO 8601 duration (e.g. PT2H, P3D, P1W)");
            return null;
        }
        if (!duration.IsPositive)
        {
            Problem(JsonPath.Field(path, name), $"'{text}' must be longer than zero");
            return null;
        }
        return duration;
    }

    public DateTimeOffset? Instant(JsonElement obj, string path, string name, bool required)
    {
        var text = String(obj, path, name, required);
        if (text is null)
        {
            return null;
        }
        if (!EventParser.TryParseTimestamp(text, out var instant))
        {
            Problem(JsonPath.Field(path, name), $"'{text}' is not an ISO 8601 date-time with an offset (e.g. 2026-12-01T09:00:00Z)");
            return null;
        }
        return instant;
    }

    public bool? Bool(JsonElement obj, string path, string name)
    {
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Problem(JsonPath.Field(path, name), $"'{name}' must be true or false");
            return null;
        }
        return element.GetBoolean();
    }

    public int? Integer(JsonElement obj, string path, string name, int min, bool required)
    {
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(JsonPath.Field(path, name), $"'{name}' is required");
            }
            return null;
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt32(out var n) || n < min)
        {
            Problem(JsonPath.Field(path, name), $"'{name}' must be a whole number >= {min}");
            return null;
        }
        return n;
    }

    public List<string> StringList(JsonElement obj, string path, string name)
    {
        var list = new List<string>();
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return list;
        }
        var at = JsonPath.Field(path, name);
        if (element.ValueKind != JsonValueKind.Array)
        {
            Problem(at, $"'{name}' must be an array of strings");
            return list;
        }
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
            {
                list.Add(item.GetString()!);
            }
            else
            {
                Problem(JsonPath.Index(at, i), "must be a non-empty string");
            }
            i++;
        }
        return list;
    }

    public string? SegmentReference(JsonElement obj, string path, string name, bool required)
    {
        var id = String(obj, path, name, required);
        if (id is not null)
        {
            SegmentReferences.Add((id, JsonPath.Field(path, name)));
        }
        return id;
    }

    public static Value Operand(JsonElement element) => Value.FromJson(element);

    public static string Format(double d) => d.ToString(CultureInfo.InvariantCulture);
}
