using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>A user's latest assignment in an experiment split: the path, when it was taken, whether it has converted.</summary>
public readonly record struct ExperimentAssignment(string Path, DateTimeOffset At, bool Converted);

/// <summary>
/// The counts a runtime keeps across users (DESIGN §10): entries per journey (in total and per UTC day, for
/// <c>limits</c>), experiment assignments and per-path tallies with the chosen winner, and each rate-limited
/// channel's next free slot. The engine reads them through <see cref="ISharedCounts"/>; the runtime writes them
/// from the engine's effects, in the same transaction as the step that caused them in a durable store.
/// </summary>
public interface IJourneyCounters : IEntryCounters, ISharedCounts, IExperimentConversions
{
    /// <summary>Counts an entry into the path and makes it the user's assignment (a re-entry replaces the previous one); the first sets the experiment's start.</summary>
    void Assign(string journeyId, string stepId, string userId, string path, DateTimeOffset at);

    /// <summary>Records the winner (the first one recorded stays).</summary>
    void ChooseWinner(string journeyId, string stepId, string path, DateTimeOffset at);

    void TakeSlot(Channel channel, DateTimeOffset nextFree);
}
