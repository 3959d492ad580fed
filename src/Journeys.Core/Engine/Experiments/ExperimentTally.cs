namespace Journeys.Core.Engine.Experiments;

/// <summary>One experiment path's recorded counts: users who took it, and of them those who converted within the window.</summary>
public readonly record struct PathTally(long Entered, long Converted)
{
    public double Rate => Entered == 0 ? 0 : (double)Converted / Entered;
}

/// <summary>
/// An experiment split's recorded counts at a decision time: when the first user took it, the winner once
/// chosen, and the counts per path name (a path nobody took is absent).
/// </summary>
public sealed record ExperimentTally(DateTimeOffset? StartedAt, string? Winner, IReadOnlyDictionary<string, PathTally> Paths)
{
    public static ExperimentTally Empty { get; } = new(null, null, new Dictionary<string, PathTally>());

    public PathTally Path(string name) => Paths.TryGetValue(name, out var tally) ? tally : default;
}
