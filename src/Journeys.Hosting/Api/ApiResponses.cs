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

/// <summary>How often enrollments moved from step <paramref name="From"/> to step <paramref name="To"/>.</summary>
public sealed record EdgeCounts(string From, string To, long Taken);

/// <summary>A proportion's 95% interval.</summary>
public sealed record RateInterval(double Low, double High);

/// <summary>
/// One experiment path in the readout. <paramref name="Lift"/>, <paramref name="PValue"/> and <paramref name="AdjustedPValue"/>
/// (Holm) compare it with the control and are absent on the control itself (and lift when the control's rate is 0).
/// </summary>
public sealed record ExperimentPathReadout(
    string Name, bool Control, long Entered, long Converted, double Rate, RateInterval Interval,
    double? Lift, double? PValue, double? AdjustedPValue, bool Significant, bool Winner);

/// <summary>An experiment split's readout (DESIGN §10): what it measures, its winner once chosen, and each path.</summary>
public sealed record ExperimentReadout(
    string Metric, string Window, string? Winner, string? WinnerAfter, int? MinPerPath, string Correction, IReadOnlyList<ExperimentPathReadout> Paths);

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
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PathCounts>> Paths,
    IReadOnlyList<EdgeCounts> Edges,
    IReadOnlyDictionary<string, long> Attribution,
    IReadOnlyDictionary<string, ExperimentReadout> Experiments,
    GlobalControlReadout? GlobalControl = null);

/// <summary>
/// The global control group's readout (DESIGN §10): the journey's entries and goal conversions of users held out of
/// every message (the control) against those of everyone else; absent when no control group was in force.
/// </summary>
public sealed record GlobalControlReadout(IReadOnlyList<ExperimentPathReadout> Paths);

/// <summary>An event a runtime could not take: when, from where (the intake), why, and its raw body (cut when very large).</summary>
public sealed record RejectedRecord(DateTimeOffset At, string Source, string Reason, string Body, bool Truncated);

/// <summary><c>GET /v1/rejected</c>: oldest first; <c>last</c> is the <c>after</c> of the next page (absent on an empty page).</summary>
public sealed record RejectedList(IReadOnlyList<RejectedRecord> Rejected, string? Last);

/// <summary><c>/healthz</c>. The outbox counts are those of a runtime with an outbox (serve); absent elsewhere.</summary>
public sealed record HealthResponse(string Status, int Journeys, long? OutboxPending = null, long? OutboxFailed = null);
