using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// An enrollment orchestration's input: at the start, and again at every <c>ContinueAsNew</c>, which
/// carries the engine state and the little the loop remembers between iterations.
/// </summary>
/// <param name="Started">False until the engine has taken the <see cref="Started"/> input.</param>
/// <param name="LastSequence">The last customer event handled (repeats from an at-least-once upstream are dropped).</param>
/// <param name="LastAt">The last input's time: inputs never go back in time, as in the single-node runtime.</param>
/// <param name="Generation">How many times the orchestration continued as new (for logs and tests).</param>
public sealed record OrchestrationInput(EnrollmentState State, bool Started, long LastSequence, DateTimeOffset LastAt, int Generation)
{
    public static OrchestrationInput Start(EnrollmentState state) => new(state, false, state.EntrySequence, state.EnteredAt, 0);
}
