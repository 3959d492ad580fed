using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

public enum EnrollmentStatus { Active, Completed, Exited }

/// <summary>
/// Everything one enrollment remembers between inputs: small and plain so any driver can persist it
/// (a SQLite row, Table entity, or the input of Durable's ContinueAsNew).
/// </summary>
public sealed record EnrollmentState
{
    /// <summary><c>{journey}:{user}:{entryNo}</c>, or <c>{journey}:{user}:{key}:{entryNo}</c> when keyed; also the Durable instance id.</summary>
    public required string EnrollmentId { get; init; }
    public required string JourneyId { get; init; }
    public required int Version { get; init; }
    public required string UserId { get; init; }
    public required int EntryNo { get; init; }
    public required DateTimeOffset EnteredAt { get; init; }

    /// <summary>The entry key's value (a keyed journey, DESIGN §9), unescaped; null when not keyed.</summary>
    public string? Key { get; init; }

    /// <summary>The user's history sequence at entry: <c>since: entry</c> counts later events only.</summary>
    public long EntrySequence { get; init; }

    /// <summary>The event that enrolled the user (templates' <c>event</c>; branch <c>property</c> tests).</summary>
    public CustomerEvent? EntryEvent { get; init; }

    public EnrollmentStatus Status { get; init; } = EnrollmentStatus.Active;

    /// <summary>The step the enrollment waits at (delay, waitFor, or a deferred send).</summary>
    public string? Step { get; init; }

    public DateTimeOffset? WaitStartedAt { get; init; }

    /// <summary>When the current step's wait ends (delay end, waitFor timeout, deferred send time).</summary>
    public DateTimeOffset? WaitUntil { get; init; }

    /// <summary>A send step deferred for quiet hours or optimal time: on waking it sends without deferring again.</summary>
    public bool SendDeferred { get; init; }

    /// <summary>The send slot a rate-limited send reserved and waits for: on waking at it, it goes without queueing again.</summary>
    public DateTimeOffset? RateSlot { get; init; }

    /// <summary>The last send step that delivered a message: a conversion is credited to it (attribution).</summary>
    public string? LastSentStep { get; init; }

    /// <summary>Entry + maxDuration, when the journey has one.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public bool Converted { get; init; }

    /// <summary>Steps executed so far; part of each send's idempotency key, so a loop's second visit is a new message.</summary>
    public int StepsTaken { get; init; }

    /// <summary>The split paths this enrollment took (<c>step=path</c>), for per-path statistics.</summary>
    public IReadOnlyList<string> SplitPaths { get; init; } = [];

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary><c>exited</c> reason (goal, event, max-duration, step, stopped).</summary>
    public string? ExitReason { get; init; }

    public bool IsActive => Status == EnrollmentStatus.Active;

    /// <summary>The next instant this enrollment needs a timer for.</summary>
    public DateTimeOffset? NextWake => !IsActive ? null
        : WaitUntil is null ? Deadline
        : Deadline is null ? WaitUntil
        : WaitUntil < Deadline ? WaitUntil : Deadline;

    public static string IdFor(string journeyId, string userId, int entryNo) => $"{journeyId}:{userId}:{entryNo}";

    /// <summary>A keyed enrollment's id: the key escaped by <see cref="EntryKeys.Escape"/>, so it holds no ':'.</summary>
    public static string IdFor(string journeyId, string userId, string? key, int entryNo) =>
        key is null ? IdFor(journeyId, userId, entryNo) : $"{journeyId}:{userId}:{EntryKeys.Escape(key)}:{entryNo}";
}
