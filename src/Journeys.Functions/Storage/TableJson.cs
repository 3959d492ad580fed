using System.Text.Json;
using Journeys.Core.Audience;

namespace Journeys.Functions.Storage;

/// <summary>JSON-valued entity properties (traits, event properties): our <see cref="Value"/> DOM as text.</summary>
internal static class TableJson
{
    public static Value Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return CustomerEvent.EmptyObject;
        }
        using var document = JsonDocument.Parse(json);
        return Value.FromJson(document.RootElement);
    }

    public static string Write(Value value) => value.IsMissing ? "{}" : value.ToJson();
}
