using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>Counts messages already sent to a person, for frequency caps.</summary>
public interface ISendLedger
{
    int CountSince(string userId, DateTimeOffset since);
}

/// <summary>
/// What the engine may read besides its own state: the profile, the user's history, past sends, and the counts
/// kept across users (experiments, rate limits). Without <see cref="Counts"/> an experiment only splits and rate
/// limits do not apply (a driver that keeps no such counts).
/// </summary>
public readonly record struct EngineContext(Profile Profile, IReadOnlyList<HistoryEvent> History, ISendLedger? Sends = null, ISharedCounts? Counts = null);
