using System.Text.Json;
using System.Text.Json.Nodes;

namespace Journeys.Core.Tests.Support;

/// <summary>Segment-spec event lines (DESIGN §3) for the runtime and the simulator.</summary>
public static class Events
{
    /// <summary>
    /// <paramref name="properties"/>: an object serialized as JSON (anonymous types and dictionaries
    /// work), or a string holding raw JSON.
    /// </summary>
    public static string Track(string messageId, string user, string @event, DateTimeOffset at, object? properties = null)
    {
        var node = new JsonObject
        {
            ["type"] = "track",
            ["messageId"] = messageId,
            ["userId"] = user,
            ["event"] = @event,
            ["timestamp"] = Times.Iso(at),
        };
        if (properties is not null)
        {
            node["properties"] = ToNode(properties);
        }
        return node.ToJsonString();
    }

    public static string Identify(string messageId, string user, DateTimeOffset at, object traits)
    {
        var node = new JsonObject
        {
            ["type"] = "identify",
            ["messageId"] = messageId,
            ["userId"] = user,
            ["traits"] = ToNode(traits),
            ["timestamp"] = Times.Iso(at),
        };
        return node.ToJsonString();
    }

    public static JsonNode? ToNode(object value) => value switch
    {
        string raw => JsonNode.Parse(raw),
        JsonNode n => n.DeepClone(),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };
}
