using System.Text.Json;
using System.Text.Json.Serialization;
using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The orchestration's payloads as JSON, through source-generated serialization: they cross Durable's
/// history as strings, so the Functions app needs no reflection-based converter for Core's types.
/// </summary>
public static class OrchestrationJson
{
    public static string Write(OrchestrationInput value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.OrchestrationInput);

    public static string Write(EnrollmentSignal value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.EnrollmentSignal);

    public static string Write(ContextRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.ContextRequest);

    public static string Write(ContextSnapshot value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.ContextSnapshot);

    public static string Write(ApplyRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.ApplyRequest);

    public static string Write(SendMessage value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.SendMessage);

    public static OrchestrationInput ReadInput(string json) => Read(json, OrchestrationJsonContext.Default.OrchestrationInput);

    public static EnrollmentSignal ReadSignal(string json) => Read(json, OrchestrationJsonContext.Default.EnrollmentSignal);

    public static ContextRequest ReadContextRequest(string json) => Read(json, OrchestrationJsonContext.Default.ContextRequest);

    public static ContextSnapshot ReadSnapshot(string json) => Read(json, OrchestrationJsonContext.Default.ContextSnapshot);

    public static ApplyRequest ReadApply(string json) => Read(json, OrchestrationJsonContext.Default.ApplyRequest);

    public static SendMessage ReadSend(string json) => Read(json, OrchestrationJsonContext.Default.SendMessage);

    private static T Read<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new JsonException($"{typeof(T).Name} is null");
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    Converters = [typeof(ValueJsonConverter)])]
[JsonSerializable(typeof(OrchestrationInput))]
[JsonSerializable(typeof(EnrollmentSignal))]
[JsonSerializable(typeof(ContextRequest))]
[JsonSerializable(typeof(ContextSnapshot))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(SendMessage))]
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;
