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
/// <param name="Claim">
/// The claim token of this enrollment's run, made by whoever schedules the instance and carried through every
/// <c>ContinueAsNew</c>. It must come with the input, not from the orchestration: Durable's Azure Storage
/// backend enqueues an episode's activities before it checkpoints the episode's history, so a crash in between
/// runs the first episode again, at a new time, after its pull has already claimed the enrollment; a token made
/// there with <c>NewGuid</c> (seeded by the episode's time) would differ and the run would abandon its own
/// enrollment. Null only in inputs scheduled before the token was carried (the run then makes one).
/// </param>
/// <param name="Folded">
/// True in every input this code writes: the execution gets its definition with its first pull and sends within
/// <see cref="ActivityNames.Apply"/>. False (absent) in inputs written before: an execution already running when
/// the app is upgraded replays a history of <see cref="ActivityNames.LoadDefinition"/> and
/// <see cref="ActivityNames.Send"/> calls, and must schedule the same activities in the same order to replay
/// (Durable matches each recorded result to the call by its position), so it keeps them until its next
/// <c>ContinueAsNew</c>, whose input is folded.
/// </param>
public sealed record OrchestrationInput(EnrollmentState State, bool Started, long LastSequence, DateTimeOffset LastAt, int Generation, string? Claim = null, bool Folded = false)
{
    /// <param name="claim">A token no other scheduling of this instance id uses (a new GUID per schedule call).</param>
    public static OrchestrationInput Start(EnrollmentState state, string claim) => new(state, false, state.EntrySequence, state.EnteredAt, 0, claim, Folded: true);
}
