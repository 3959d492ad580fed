using System.Text.Json.Serialization;

namespace Journeys.Functions.Api;

/// <summary>The answer to Event Grid's subscription validation handshake.</summary>
public sealed record ValidationResponse([property: JsonPropertyName("validationResponse")] string Code);

/// <summary>What became of a delivery of ACS reports.</summary>
public sealed record AcsEventsResponse(int Accepted, int Duplicates, int Skipped);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ValidationResponse))]
[JsonSerializable(typeof(AcsEventsResponse))]
internal sealed partial class AcsEventsJson : JsonSerializerContext;
