using System.Text.Json;
using System.Text.Json.Serialization;

namespace Journeys.Hosting.Api;

/// <summary>Source-generated serialization for every response: no reflection on the request path.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IngestResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(IReadOnlyList<JourneySummary>))]
[JsonSerializable(typeof(JourneySummary))]
[JsonSerializable(typeof(JourneyDetail))]
[JsonSerializable(typeof(PublishResponse))]
[JsonSerializable(typeof(JourneyStats))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(RejectedList))]
[JsonSerializable(typeof(SuccessResponse))]
public sealed partial class ApiJson : JsonSerializerContext
{
    /// <summary>Responses are data for programs, not HTML: quotes and '+' stay as they are (as in the trace).</summary>
    public static ApiJson Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
