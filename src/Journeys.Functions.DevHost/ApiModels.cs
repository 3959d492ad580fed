using System.Text.Json.Serialization;

namespace Journeys.Functions.DevHost;

/// <summary>An event of the batch that was not taken, by its index in the request (the <c>serve</c> shape).</summary>
public sealed record RejectedEvent(int Index, string? MessageId, string Error);

/// <summary>The answer to <c>POST /v1/events</c>: <c>202 {"accepted","duplicates","rejected"}</c>, as <c>serve</c> gives it.</summary>
public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<RejectedEvent> Rejected);

/// <summary>An error answer, <c>{"error": "..."}</c>.</summary>
public sealed record ErrorResponse(string Error);

/// <summary>The answer to <c>GET /healthz</c>.</summary>
public sealed record HealthResponse(string Status, int Journeys);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class DevHostJson : JsonSerializerContext;
