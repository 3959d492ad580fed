using System.Text.Json;
using System.Text.Json.Nodes;

namespace Journeys.Functions.Api;

/// <summary>
/// Counts of a journey's trace records (DESIGN §6 stats): entered, completed, converted, exited by
/// reason, per step reached, per channel sent and suppressed, per path taken.
/// </summary>
internal sealed class JourneyStats
{
    private readonly SortedDictionary<string, long> _kinds = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _exits = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _steps = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _channels = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, long> _paths = new(StringComparer.Ordinal);

    public void Add(string? recordJson)
    {
        if (string.IsNullOrEmpty(recordJson))
        {
            return;
        }
        using var document = JsonDocument.Parse(recordJson);
        var root = document.RootElement;
        var kind = Text(root, "kind") ?? "";
        Bump(_kinds, kind);
        if (Text(root, "step") is { } step) Bump(_steps, step);
        if (kind == "exited" && Text(root, "reason") is { } reason) Bump(_exits, reason);
        if (kind is "sent" or "suppressed" && Text(root, "channel") is { } channel) Bump(_channels, $"{channel}.{kind}");
        if (kind == "path" && Text(root, "step") is { } at && Text(root, "path") is { } path) Bump(_paths, $"{at}={path}");
    }

    public JsonObject ToJson(string journey, int active) => new()
    {
        ["journey"] = journey,
        ["entered"] = Count(_kinds, "entered"),
        ["active"] = active,
        ["completed"] = Count(_kinds, "completed"),
        ["converted"] = Count(_kinds, "converted"),
        ["rejected"] = Count(_kinds, "rejected"),
        ["exited"] = Object(_exits),
        ["steps"] = Object(_steps),
        ["channels"] = Object(_channels),
        ["paths"] = Object(_paths),
    };

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static void Bump(SortedDictionary<string, long> counts, string key) => counts[key] = Count(counts, key) + 1;

    private static long Count(SortedDictionary<string, long> counts, string key) => counts.GetValueOrDefault(key);

    private static JsonObject Object(SortedDictionary<string, long> counts)
    {
        var result = new JsonObject();
        foreach (var (key, value) in counts)
        {
            result[key] = value;
        }
        return result;
    }
}
