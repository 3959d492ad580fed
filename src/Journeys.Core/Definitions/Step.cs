using Journeys.Core.Audience;
using Journeys.Core.Conditions;

namespace Journeys.Core.Definitions;

/// <summary>One node of a journey's graph. A null next means the enrollment completes there.</summary>
public abstract record Step
{
    public required string Id { get; init; }

    /// <summary>Every step id this step can lead to (for validation and the graph).</summary>
    public abstract IEnumerable<string?> Successors { get; }

    /// <summary>Whether moving on from this step always lets time pass (breaks an instant loop).</summary>
    public virtual bool Waits => false;
}

public enum Channel { Email, Sms, Push, Webhook, Preferred }

/// <summary>Message content: field name to template (for webhooks, also <c>headers</c> as a nested object).</summary>
public sealed record MessageContent(IReadOnlyDictionary<string, string> Fields, IReadOnlyDictionary<string, string> Headers);

public sealed record SendStep(Channel Channel, IReadOnlyDictionary<Channel, MessageContent> Content, bool OptimalTime, string? Next) : Step
{
    /// <summary>Local days and hours the send may go in; outside them it waits for the next opening.</summary>
    public SendWindow? Window { get; init; }

    /// <summary>Built-in tracking (DESIGN §9): the host rewrites the e-mail's links and adds an open pixel.</summary>
    public bool Track { get; init; }

    public override IEnumerable<string?> Successors => [Next];
}

/// <summary>
/// Exactly one of <see cref="For"/>, <see cref="Until"/> (local time of day, + <see cref="Days"/>),
/// <see cref="UntilDate"/>, <see cref="UntilTrait"/> or <see cref="UntilProperty"/> (a date, + <see cref="Offset"/>).
/// </summary>
public sealed record DelayStep(IsoDuration? For, TimeOnly? Until, int Days, DateTimeOffset? UntilDate, string? Next) : Step
{
    /// <summary>A profile trait holding the date to wait for.</summary>
    public string? UntilTrait { get; init; }

    /// <summary>A property of the entry event holding the date to wait for.</summary>
    public string? UntilProperty { get; init; }

    /// <summary>Signed shift from the trait's or property's date (<c>-P3D</c>: three days before).</summary>
    public SignedDuration Offset { get; init; }

    public bool IsRelativeToDate => UntilTrait is not null || UntilProperty is not null;

    public override IEnumerable<string?> Successors => [Next];

    // A date already passed continues at once, so only the relative forms are sure to wait.
    public override bool Waits => UntilDate is null && !IsRelativeToDate;
}

/// <summary>One of a multi-event wait's paths: <see cref="Name"/> is its trace path (default the event name).</summary>
public sealed record WaitForEvent(string Name, string Event, Condition? Where, string? Next);

/// <summary>
/// Waits for <see cref="Event"/> (then <see cref="OnEvent"/>) or, when <see cref="Events"/> is not empty,
/// for the first of those to match (then its own next); <see cref="OnTimeout"/> when none came in time.
/// </summary>
public sealed record WaitForStep(string Event, Condition? Where, IsoDuration Timeout, string? OnEvent, string? OnTimeout) : Step
{
    /// <summary>The <c>events</c> form; empty for the single-<c>event</c> form.</summary>
    public IReadOnlyList<WaitForEvent> Events { get; init; } = [];

    public override IEnumerable<string?> Successors => Events.Count == 0 ? [OnEvent, OnTimeout] : [.. Events.Select(e => e.Next), OnTimeout];

    public override bool Waits => true;

    /// <summary>Whether an event of this name could end the wait.</summary>
    public bool Awaits(string eventName)
    {
        if (Events.Count == 0) return Event == eventName;
        foreach (var e in Events)
        {
            if (e.Event == eventName) return true;
        }
        return false;
    }
}

public sealed record BranchPath(string Name, Condition When, string? Next);

public sealed record BranchStep(IReadOnlyList<BranchPath> Paths, string? Otherwise) : Step
{
    public override IEnumerable<string?> Successors => Paths.Select(p => p.Next).Append(Otherwise);
}

public sealed record SplitPath(string Name, double Percent, string? Next)
{
    /// <summary>The experiment's control path (DESIGN §10): what the other paths are measured against.</summary>
    public bool Control { get; init; }
}

public sealed record SplitStep(IReadOnlyList<SplitPath> Paths) : Step
{
    /// <summary>Set when the split is an experiment: conversions per path, the readout, a winner.</summary>
    public ExperimentRule? Experiment { get; init; }

    public override IEnumerable<string?> Successors => Paths.Select(p => p.Next);
}

public sealed record UpdateStep(Value Traits, string? Next) : Step
{
    public override IEnumerable<string?> Successors => [Next];
}

public sealed record ExitStep : Step
{
    public override IEnumerable<string?> Successors => [];
}

/// <summary>Ends the enrollment (reason <c>jump</c>) and enters the user into <see cref="Journey"/> by its entry rules, the entry event carried over.</summary>
public sealed record JumpStep(string Journey) : Step
{
    public override IEnumerable<string?> Successors => [];
}
