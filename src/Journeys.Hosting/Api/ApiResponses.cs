using System.Text.Json;
using Journeys.Hosting.Intake;

namespace Journeys.Hosting.Api;

// The response bodies of DESIGN §6, one definition each, for every runtime that answers the routes.

public sealed record IngestResponse(int Accepted, int Duplicates, IReadOnlyList<RejectedEvent> Rejected);

/// <summary>The SDK routes' answer, as Segment's: <c>{"success": true}</c>.</summary>
public sealed record SuccessResponse(bool Success)
{
    public static readonly SuccessResponse Instance = new(true);
}

public sealed record ProblemItem(string File, string Path, string Message);

/// <summary>Every error body: what is wrong, and for a refused publish each problem with its JSON path.</summary>
public sealed record ErrorResponse(string Error, IReadOnlyList<ProblemItem>? Problems = null);

/// <summary>A journey as listed, and as pause, resume and stop answer.</summary>
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

/// <summary>An event a runtime could not take: when, from where (the intake), why, and its raw body (cut when very large).</summary>
public sealed record RejectedRecord(DateTimeOffset At, string Source, string Reason, string Body, bool Truncated);

/// <summary><c>GET /v1/rejected</c>: oldest first; <c>last</c> is the <c>after</c> of the next page (absent on an empty page).</summary>
public sealed record RejectedList(IReadOnlyList<RejectedRecord> Rejected, string? Last);

/// <summary><c>/healthz</c>. The outbox counts are those of a runtime with an outbox (serve); absent elsewhere.</summary>
public sealed record HealthResponse(string Status, int Journeys, long? OutboxPending = null, long? OutboxFailed = null);
