using Journeys.Core.Audience;

namespace Journeys.Core.Conditions;

/// <summary>
/// What a condition can see: the profile, the current event's properties, the user's track history
/// (oldest first, including the current event), the time, and where the enrollment's history began.
/// A struct passed by reference, so evaluating allocates nothing.
/// </summary>
public readonly struct ConditionContext(
    Profile profile,
    Value eventProperties,
    IReadOnlyList<HistoryEvent> history,
    DateTimeOffset now,
    long entrySequence = long.MaxValue)
{
    public Profile Profile { get; } = profile;

    /// <summary>The properties <c>{"property": ...}</c> tests read.</summary>
    public Value Event { get; } = eventProperties;

    public IReadOnlyList<HistoryEvent> History { get; } = history;

    public DateTimeOffset Now { get; } = now;

    /// <summary>The history sequence of the enrollment's entry; <c>since: entry</c> counts later events only.</summary>
    public long EntrySequence { get; } = entrySequence;

    public ConditionContext WithEvent(Value eventProperties) => new(Profile, eventProperties, History, Now, EntrySequence);
}
