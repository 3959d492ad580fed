using Journeys.Core.Audience;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

// The runtime's ports: what it keeps, as small interfaces. The simulator uses the in-memory
// implementations; the local server implements them on SQLite, the Azure runtime on Table Storage.

/// <summary>Profiles by user id.</summary>
public interface IProfileStore
{
    Profile? Find(string userId);

    void Save(Profile profile);

    /// <summary>Every user id, in ordinal order (scheduled entries walk them all).</summary>
    IEnumerable<string> UserIds();
}

/// <summary>Each user's track events in arrival order.</summary>
public interface IHistoryStore
{
    IReadOnlyList<HistoryEvent> Get(string userId);

    /// <summary>Appends and returns the event with its per-user sequence number.</summary>
    HistoryEvent Append(string userId, string eventName, DateTimeOffset timestamp, Value properties);
}

/// <summary>messageIds seen, for at-least-once upstreams.</summary>
public interface IDedupeStore
{
    /// <summary>False when the id was seen before.</summary>
    bool TryAdd(string messageId);
}

/// <summary>Enrollments, and which are active per user.</summary>
public interface IEnrollmentStore
{
    EnrollmentState? Get(string enrollmentId);

    EnrollmentState? FindActive(string journeyId, string userId);

    /// <summary>A user's active enrollments, oldest entry first.</summary>
    IReadOnlyList<EnrollmentState> ActiveFor(string userId);

    IEnumerable<EnrollmentState> ActiveIn(string journeyId);

    void Save(EnrollmentState state);
}

/// <summary>The entries each user made into each journey (only entries count for lock and cap).</summary>
public interface IEntryLedger
{
    IReadOnlyList<DateTimeOffset> Entries(string journeyId, string userId);

    void Record(string journeyId, string userId, DateTimeOffset at);
}

/// <summary>Streaming segment membership, to see a user turn from outside to inside.</summary>
public interface ISegmentMembershipStore
{
    /// <summary>The streaming segments the user is in (read once per event, so one look-up per user).</summary>
    IReadOnlySet<string> SegmentsOf(string userId);

    void Set(string segmentId, string userId, bool member);
}

/// <summary>What is due when: enrollment wake-ups and scheduled entry runs, in due order.</summary>
public interface ITimerIndex
{
    void Schedule(DueItem item);

    /// <summary>The earliest item due at or before <paramref name="upTo"/>, removed from the index.</summary>
    bool TryTakeDue(DateTimeOffset upTo, out DueItem item);

    DateTimeOffset? NextDue { get; }

    /// <summary>Whether a scheduled run of the journey is pending (so a restarted runtime does not schedule it twice).</summary>
    bool HasScheduledRun(string journeyId);
}

/// <summary>An enrollment to wake (<see cref="EnrollmentId"/>) or a journey's scheduled run (<see cref="JourneyId"/>).</summary>
public readonly record struct DueItem(DateTimeOffset Due, string? EnrollmentId, string? JourneyId);

/// <summary>The messages sent, per person, for frequency caps.</summary>
public interface ISendLog : ISendLedger
{
    void Record(string userId, DateTimeOffset at);
}

/// <summary>Where the runtime reports: trace records and messages to deliver.</summary>
public interface IRuntimeOutput
{
    void Trace(TraceRecord record);

    void Send(SendMessage message);

    /// <summary>An enrollment moved from <paramref name="before"/> to <paramref name="after"/> (saved already); for statistics.</summary>
    void Advanced(EnrollmentState before, EnrollmentState after)
    {
    }

    /// <summary>An enrollment moved along an edge of the journey's graph; for statistics.</summary>
    void Edge(EdgeTaken edge)
    {
    }

    /// <summary>An enrollment arrived at a step (entering, or along an edge); for statistics.</summary>
    void Reached(StepReached step)
    {
    }

    /// <summary>
    /// A count the runtime keeps for statistics besides the trace (named as Journeys.Hosting's StatsMetrics names
    /// them): <c>experiment:{step}:{path}</c>, <c>experiment-converted:{step}:{path}</c>, <c>winner:{step}:{path}</c>.
    /// </summary>
    void Counted(string journeyId, string metric)
    {
    }
}

/// <summary>All the stores a runtime needs.</summary>
public sealed record RuntimeStores(
    IProfileStore Profiles,
    IHistoryStore History,
    IDedupeStore Dedupe,
    IEnrollmentStore Enrollments,
    IEntryLedger Entries,
    ISegmentMembershipStore Memberships,
    ITimerIndex Timers,
    ISendLog Sends,
    IJourneyCounters? Counters = null);
