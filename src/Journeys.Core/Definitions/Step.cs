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
    public override IEnumerable<string?> Successors => [Next];
}

/// <summary>Exactly one of <see cref="For"/>, <see cref="Until"/> (local time of day, + <see cref="Days"/>) or <see cref="UntilDate"/>.</summary>
public sealed record DelayStep(IsoDuration? For, TimeOnly? Until, int Days, DateTimeOffset? UntilDate, string? Next) : Step
{
    public override IEnumerable<string?> Successors => [Next];

    // An untilDate in the past continues at once, so only the relative forms are sure to wait.
    public override bool Waits => UntilDate is null;
}

public sealed record WaitForStep(string Event, Condition? Where, IsoDuration Timeout, string? OnEvent, string? OnTimeout) : Step
{
    public override IEnumerable<string?> Successors => [OnEvent, OnTimeout];

    public override bool Waits => true;
}

public sealed record BranchPath(string Name, Condition When, string? Next);

public sealed record BranchStep(IReadOnlyList<BranchPath> Paths, string? Otherwise) : Step
{
    public override IEnumerable<string?> Successors => Paths.Select(p => p.Next).Append(Otherwise);
}

public sealed record SplitPath(string Name, double Percent, string? Next);

public sealed record SplitStep(IReadOnlyList<SplitPath> Paths) : Step
{
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
