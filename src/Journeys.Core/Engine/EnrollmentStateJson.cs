using System.Text.Json;
using System.Text.Json.Serialization;

namespace Journeys.Core.Engine;

/// <summary>
/// The enrollment state as JSON, through source-generated serialization (no reflection): what the
/// local store keeps in a row and what the Durable orchestrator passes to ContinueAsNew.
/// </summary>
public static class EnrollmentStateJson
{
    public static string Serialize(EnrollmentState state) => JsonSerializer.Serialize(state, EnrollmentStateJsonContext.Default.EnrollmentState);

    public static EnrollmentState Deserialize(string json) =>
        JsonSerializer.Deserialize(json, EnrollmentStateJsonContext.Default.EnrollmentState)
        ?? throw new JsonException("enrollment state is null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(ValueJsonConverter)])]
[JsonSerializable(typeof(EnrollmentState))]
internal sealed partial class EnrollmentStateJsonContext : JsonSerializerContext;
