using System.Text.Json;
using System.Text.Json.Serialization;

namespace Journeys.Local.Server.Http;

public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<RejectedEvent> Rejected);

public sealed record ProblemItem(string File, string Path, string Message);

/// <summary>Every error body: what is wrong, and for a refused publish each problem with its JSON path.</summary>
public sealed record ErrorResponse(string Error, IReadOnlyList<ProblemItem>? Problems = null);

public sealed record JourneySummary(string Id, string? Name, int Version, string Status);

public sealed record JourneyDetail(string Id, string? Name, int Version, string Status, IReadOnlyList<int> Versions, JsonElement Definition);

public sealed record PublishResponse(string Id, int Version, bool Created, string Status);

public sealed record ChannelCounts(long Sent, long Suppressed);

public sealed record PathCounts(long Entered, long Converted);

/// <summary>DESIGN §6's statistics for one journey, across its versions.</summary>
public sealed record JourneyStats(
    string Id,
    int Version,
    string Status,
    long Entered,
    long Active,
    long Completed,
    long Converted,
    IReadOnlyDictionary<string, long> Exited,
    IReadOnlyDictionary<string, long> Rejected,
    IReadOnlyDictionary<string, long> Steps,
    IReadOnlyDictionary<string, ChannelCounts> Channels,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PathCounts>> Paths);

public sealed record HealthResponse(string Status, int Journeys, long OutboxPending, long OutboxFailed);

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
public sealed partial class ApiJson : JsonSerializerContext
{
    /// <summary>Responses are data for programs, not HTML: quotes and '+' stay as they are (as in the trace).</summary>
    public static ApiJson Api { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
