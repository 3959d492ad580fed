using Journeys.Core.Audience;
using Journeys.Core.Conditions;

namespace Journeys.Core.Definitions;

/// <summary>A journey as published (DESIGN §4). Built by <see cref="DefinitionReader"/>, checked by <see cref="DefinitionValidator"/>.</summary>
public sealed record JourneyDefinition(
    string Id,
    string? Name,
    Entry Entry,
    AudienceRule? Audience,
    EntryWindow? Window,
    ReentryRule Reentry,
    GoalRule? Goal,
    ExitRule? Exit,
    string Start,
    IReadOnlyDictionary<string, Step> Steps)
{
    /// <summary>Caps on entries across all users (reason <c>limit</c>); null when unlimited.</summary>
    public JourneyLimits? Limits { get; init; }
}

/// <summary>How users enter: exactly one of the three forms.</summary>
public abstract record Entry;

/// <summary>
/// <c>{"event": E, "where"?, "key"?}</c>: a track event E enrolls the user. With a <see cref="Key"/>
/// (a property path of E) the user enrolls once per value of that property (DESIGN §9).
/// </summary>
public sealed record EventEntry(string Event, Condition? Where, string? Key = null) : Entry;

/// <summary><c>{"segment": S}</c>: the user enrolls when they newly qualify for S.</summary>
public sealed record SegmentEntry(string Segment) : Entry;

/// <summary><c>{"schedule": {"at", "every"?}, "segment"?}</c>: at each run everyone in the audience (and S) enrolls.</summary>
public sealed record ScheduleEntry(DateTimeOffset At, IsoDuration? Every, string? Segment) : Entry;

public sealed record AudienceRule(IReadOnlyList<string> Include, IReadOnlyList<string> Exclude);

public sealed record EntryWindow(DateTimeOffset? From, DateTimeOffset? Until)
{
    public bool Contains(DateTimeOffset at) => (From is null || at >= From) && (Until is null || at <= Until);
}

public enum ReentryMode { Once, Multiple }

public sealed record EntryCap(int Count, IsoDuration Within);

public sealed record ReentryRule(ReentryMode Mode, IsoDuration? Lock, EntryCap? Cap)
{
    public static ReentryRule Once { get; } = new(ReentryMode.Once, null, null);
}

/// <summary>The conversion: the first matching event of an enrollment; ends it unless <see cref="Exit"/> is false.</summary>
public sealed record GoalRule(string Event, Condition? Where, bool Exit);

public sealed record ExitEvent(string Event, Condition? Where);

public sealed record ExitRule(IReadOnlyList<ExitEvent> Events, IsoDuration? MaxDuration)
{
    /// <summary>Segments the user must stay in: leaving one ends the enrollment (reason <c>segment</c>).</summary>
    public IReadOnlyList<string> Segments { get; init; } = [];
}

public sealed record SegmentDefinition(string Id, string? Name, Condition When);
