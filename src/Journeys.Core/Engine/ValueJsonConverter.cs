using System.Text.Json;
using System.Text.Json.Serialization;
using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>Writes a <see cref="Value"/> as the JSON it stands for, and reads it back.</summary>
public sealed class ValueJsonConverter : JsonConverter<Value>
{
    public override Value Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return Value.FromJson(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, Value value, JsonSerializerOptions options) => value.WriteTo(writer);
}
