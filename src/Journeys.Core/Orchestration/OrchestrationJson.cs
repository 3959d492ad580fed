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

    public static string Write(PullRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.PullRequest);

    public static string Write(PullResult value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.PullResult);

    public static string Write(DefinitionRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.DefinitionRequest);

    public static string Write(DefinitionSource value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.DefinitionSource);

    public static string Write(ApplyRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.ApplyRequest);

    public static string Write(SendMessage value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.SendMessage);

    public static string Write(JumpRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.JumpRequest);

    public static string Write(RateSlotRequest value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.RateSlotRequest);

    public static string Write(RateSlotResult value) => JsonSerializer.Serialize(value, OrchestrationJsonContext.Default.RateSlotResult);

    public static RateSlotRequest ReadRateSlotRequest(string json) => Read(json, OrchestrationJsonContext.Default.RateSlotRequest);

    public static RateSlotResult ReadRateSlots(string json) => Read(json, OrchestrationJsonContext.Default.RateSlotResult);

    public static JumpRequest ReadJump(string json) => Read(json, OrchestrationJsonContext.Default.JumpRequest);

    public static OrchestrationInput ReadInput(string json) => Read(json, OrchestrationJsonContext.Default.OrchestrationInput);

    public static PullRequest ReadPullRequest(string json) => Read(json, OrchestrationJsonContext.Default.PullRequest);

    public static PullResult ReadPull(string json) => Read(json, OrchestrationJsonContext.Default.PullResult);

    public static DefinitionRequest ReadDefinitionRequest(string json) => Read(json, OrchestrationJsonContext.Default.DefinitionRequest);

    public static DefinitionSource ReadDefinition(string json) => Read(json, OrchestrationJsonContext.Default.DefinitionSource);

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
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(PullResult))]
[JsonSerializable(typeof(DefinitionRequest))]
[JsonSerializable(typeof(DefinitionSource))]
[JsonSerializable(typeof(ApplyRequest))]
[JsonSerializable(typeof(SendMessage))]
[JsonSerializable(typeof(JumpRequest))]
[JsonSerializable(typeof(RateSlotRequest))]
[JsonSerializable(typeof(RateSlotResult))]
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;
