using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// The entry checks of DESIGN §4 and §10 in their order — window, audience, active, once, lock, cap, limit — over
/// data the driver has already read, so the single-node runtime and the Azure ingestion share one rule.
/// </summary>
public static class EntryRules
{
    /// <summary>The first two checks, window and audience, which need no enrollment data.</summary>
    /// <param name="audience">The user's profile and history, with the entry event's properties.</param>
    /// <returns>The refusal's reason (a <see cref="TraceReason"/>), or null when re-entry is to be checked next.</returns>
    public static string? Admission(CompiledJourney journey, DateTimeOffset at, in ConditionContext audience)
    {
        if (journey.Definition.Window is { } window && !window.Contains(at))
        {
            return TraceReason.Window;
        }
        return InAudience(journey, audience) ? null : TraceReason.Audience;
    }

    /// <summary>The last four checks: active, once, lock, cap (a driver reads enrollments only once admitted).</summary>
    /// <param name="active">Whether the user has an active enrollment in the journey.</param>
    /// <param name="entries">The user's earlier entries into the journey, oldest first.</param>
    /// <returns>The first refusal's reason, or null to enroll.</returns>
    public static string? Reentry(CompiledJourney journey, DateTimeOffset at, bool active, IReadOnlyList<DateTimeOffset> entries)
    {
        if (active)
        {
            return TraceReason.Active;
        }
        var reentry = journey.Definition.Reentry;
        if (entries.Count > 0 && reentry.Mode == ReentryMode.Once)
        {
            return TraceReason.Once;
        }
        if (entries.Count > 0 && reentry.Lock is { } lockFor && at < lockFor.AddTo(entries[^1]))
        {
            return TraceReason.Lock;
        }
        if (reentry.Cap is { } cap)
        {
            var since = cap.Within.SubtractFrom(at);
            var recent = 0;
            foreach (var entered in entries)
            {
                if (entered > since && entered <= at) recent++;
            }
            if (recent >= cap.Count)
            {
                return TraceReason.Cap;
            }
        }
        return null;
    }

    /// <summary>The last check, the journey's <c>limits</c> across all users (DESIGN §10).</summary>
    /// <param name="total">Entries into the journey so far.</param>
    /// <param name="today">Entries on the UTC calendar day of <paramref name="at"/>.</param>
    /// <returns><c>limit</c> when one more entry would exceed a limit, else null.</returns>
    public static string? Limit(CompiledJourney journey, long total, long today) =>
        journey.Definition.Limits is { } limits && !limits.Allows(total, today) ? TraceReason.Limit : null;

    /// <summary>Whether the journey has limits, so a driver reads the counts only then.</summary>
    public static bool HasLimits(CompiledJourney journey) => journey.Definition.Limits is not null;

    /// <summary>A keyed journey's key for an entry (or a jump's carried) event: null when unkeyed or the event lacks it.</summary>
    public static string? KeyOf(CompiledJourney journey, CustomerEvent? entryEvent) =>
        entryEvent is null ? null : EntryKeys.Of(journey.EntryKeyPath, entryEvent.Properties);

    /// <summary>Where entries are counted for lock, cap and once: per journey, or per journey and key.</summary>
    public static string Scope(CompiledJourney journey, string? key) => EntryKeys.Scope(journey.Id, key);

    /// <summary>
    /// For a keyed journey, the one enrollment of this key that can be active: its latest
    /// (<paramref name="entries"/> are the key's scope), found by id rather than by scanning the
    /// user's enrollments. Null for an unkeyed journey (ask the store for the journey's active one).
    /// </summary>
    public static string? ActiveEnrollmentId(CompiledJourney journey, string userId, string? key, IReadOnlyList<DateTimeOffset> entries) =>
        journey.EntryKeyPath is null || entries.Count == 0 ? null : EnrollmentState.IdFor(journey.Id, userId, key, entries.Count);

    /// <summary>
    /// Whether an event is to be handed to an active enrollment: the journey can act on its name
    /// (<see cref="CompiledJourney.ReactsTo"/>), and a keyed enrollment only gets events that carry
    /// its key or none, and an engagement event naming an <c>enrollment</c> only that one. (The engine checks
    /// both too; this spares a driver the work.)
    /// </summary>
    public static bool Reaches(CompiledJourney journey, EnrollmentState enrollment, CustomerEvent e) =>
        e.Event is { } name && journey.ReactsTo.Contains(name) && EntryKeys.Reaches(journey, enrollment, e.Properties);

    /// <summary>Member of any included segment (when the journey lists some) and of no excluded one.</summary>
    public static bool InAudience(CompiledJourney journey, in ConditionContext context)
    {
        if (journey.Include.Length > 0)
        {
            var included = false;
            foreach (var segment in journey.Include)
            {
                if (segment.Evaluate(context))
                {
                    included = true;
                    break;
                }
            }
            if (!included) return false;
        }
        foreach (var segment in journey.Exclude)
        {
            if (segment.Evaluate(context)) return false;
        }
        return true;
    }
}
