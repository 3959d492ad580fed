using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>Runtime configuration that shapes sends. Both policies are off by default.</summary>
public sealed record EngineOptions
{
    public static EngineOptions Default { get; } = new();

    /// <summary>Sends to a person during these local hours wait until they end.</summary>
    public QuietHours? QuietHours { get; init; }

    /// <summary>At most so many messages to one person within a period, across journeys.</summary>
    public FrequencyCap? FrequencyCap { get; init; }

    /// <summary>A stable share of users held out of every message (DESIGN §10).</summary>
    public GlobalControl? GlobalControl { get; init; }

    /// <summary>Per channel, at most so many sends a minute across all users: later ones wait their turn.</summary>
    public IReadOnlyDictionary<Channel, int> RateLimits { get; init; } = new Dictionary<Channel, int>();
}

/// <summary>
/// The global control group: users whose bucket (a hash of the user id alone, so the same in every journey)
/// falls below <see cref="Percent"/> get no message; their conversions still count.
/// </summary>
public sealed record GlobalControl(double Percent)
{
    public bool Holds(string userId) => SplitHash.Bucket("", "global-control", userId) < Percent;
}

/// <summary>Local time window (may wrap midnight, e.g. 21:00-08:00) in the profile's timezone.</summary>
public sealed record QuietHours(TimeOnly Start, TimeOnly End, IReadOnlySet<Channel> Channels)
{
    public bool Applies(Channel channel) => Channels.Contains(channel);

    public bool Contains(TimeOnly local) =>
        Start <= End ? local >= Start && local < End : local >= Start || local < End;
}

/// <summary>Messages (not webhooks) to one person: at most <see cref="Count"/> within <see cref="Within"/>.</summary>
public sealed record FrequencyCap(int Count, IsoDuration Within);
