using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// An enrollment orchestration's input: at the start, and again at every <c>ContinueAsNew</c>, which
/// carries the engine state and the little the loop remembers between iterations.
/// </summary>
/// <param name="Started">False until the engine has taken the <see cref="Started"/> input.</param>
/// <param name="LastSequence">The cursor: the last of the user's events handled (the next pull starts after it).</param>
/// <param name="LastAt">The last input's time: inputs never go back in time, as in the single-node runtime.</param>
/// <param name="Generation">How many times the orchestration continued as new (for logs and tests).</param>
/// <param name="Claim">The claim token of this enrollment's run (null until the first execution makes it).</param>
public sealed record OrchestrationInput(EnrollmentState State, bool Started, long LastSequence, DateTimeOffset LastAt, int Generation, string? Claim = null)
{
    public static OrchestrationInput Start(EnrollmentState state) => new(state, false, state.EntrySequence, state.EnteredAt, 0);
}
