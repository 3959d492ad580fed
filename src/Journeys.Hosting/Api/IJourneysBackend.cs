using Journeys.Core.Definitions;

namespace Journeys.Hosting.Api;

/// <summary>
/// What a runtime keeps and does for the admin and read routes (DESIGN §6): its journeys, their counters,
/// trace and health, and the publish, pause, resume and stop actions. <see cref="JourneysApi"/> turns these
/// into the HTTP answers, so every runtime gives the same shapes, codes and errors. Implementations:
/// serve's over SQLite, the Functions app's over Table Storage (also mapped by the dev host).
/// </summary>
public interface IJourneysBackend
{
    /// <summary>The published journeys, ordered by id.</summary>
    Task<IReadOnlyList<JourneySummary>> ListAsync(CancellationToken cancel);

    /// <summary>The current version's definition text and every version number; null when there is no such journey.</summary>
    Task<StoredJourney?> GetAsync(string journeyId, CancellationToken cancel);

    /// <summary>Validates (<see cref="Publishing.PublishRules"/>) and publishes; an unchanged definition creates nothing.</summary>
    Task<PublishOutcome> PublishAsync(string journeyId, string json, CancellationToken cancel);

    /// <summary>Pauses, resumes or stops; null when there is no such journey.</summary>
    Task<JourneySummary?> ControlAsync(string journeyId, JourneyCommand command, CancellationToken cancel);

    /// <summary>The journey's counters (<see cref="Stats.StatsMetrics"/> names); null when there is no such journey.</summary>
    Task<JourneyCounts?> CountsAsync(string journeyId, CancellationToken cancel);

    /// <summary>Trace records in the order written; null when <see cref="TraceQuery.After"/> is not a cursor this backend gave.</summary>
    Task<TracePage?> TraceAsync(TraceQuery query, CancellationToken cancel);

    Task<HealthResponse> HealthAsync(CancellationToken cancel);

    /// <summary>Events that could not be taken, kept with their raw body and reason, oldest first; null when this runtime keeps none.</summary>
    Task<RejectedList?> RejectedAsync(RejectedQuery query, CancellationToken cancel);
}

public enum JourneyCommand
{
    Pause,
    Resume,
    Stop,
}

/// <summary>A journey's status words, as every response spells them.</summary>
public static class JourneyStatusText
{
    public const string Active = "active";
    public const string Paused = "paused";
    public const string Stopped = "stopped";
}

/// <summary>A journey's current definition (its JSON text as published) and every version number.</summary>
public sealed record StoredJourney(JourneySummary Journey, IReadOnlyList<int> Versions, string Definition);

/// <summary>A publish's result: the version now current (null when refused), whether it is new, the problems that refused it, and the journey's status.</summary>
public sealed record PublishOutcome(int? Version, bool Created, IReadOnlyList<DefinitionProblem> Problems, string Status = JourneyStatusText.Active);

/// <summary>A journey's counters: active enrollments, and the <see cref="Stats.StatsMetrics"/> counts.</summary>
public sealed record JourneyCounts(JourneySummary Journey, long Active, IReadOnlyDictionary<string, long> Counts);

/// <summary>Trace filters. <paramref name="After"/> is the <c>X-Trace-Last</c> of the page before (opaque to callers).</summary>
public sealed record TraceQuery(string? User, string? Journey, DateTimeOffset? Since, string? After, int Limit);

/// <summary>Rejected-event filters: from <paramref name="Since"/>, at most <paramref name="Limit"/>, after the <c>last</c> of the page before.</summary>
public sealed record RejectedQuery(DateTimeOffset Since, string? After, int Limit);

/// <summary>Trace records (JSON text, one per line) and the cursor of the last one, for the next page.</summary>
public sealed record TracePage(IReadOnlyList<string> Records, string? Last);
