using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The experiment tallies across users that winner selection reads (DESIGN §10), for the orchestration's
/// activities: read by <see cref="ActivityNames.Pull"/>, written by <see cref="ActivityNames.Apply"/>. An activity
/// runs at least once, so each write is safe to repeat.
/// </summary>
public interface IExperimentCounts
{
    ExperimentTally Tally(string journeyId, string stepId);

    /// <summary>Makes the path the user's assignment and counts its entry, unless <paramref name="marker"/> is the assignment already recorded.</summary>
    /// <param name="marker">The same in a retried activity, another in any other decision.</param>
    void Assign(ExperimentAssigned assigned, string marker);

    /// <summary>Records the winner unless one is: the first stays, and later decisions read it.</summary>
    void ChooseWinner(WinnerChosen chosen);
}
