namespace Journeys.Core.Definitions;

/// <summary>
/// A journey's <c>limits</c> (DESIGN §10): entries beyond them are rejected with reason <c>limit</c>, checked after
/// <c>cap</c>. A day is a UTC calendar day, so every runner and time zone agrees on where it ends.
/// </summary>
public sealed record JourneyLimits(int? EntriesPerDay, long? EntriesTotal)
{
    /// <summary>Whether one more entry is allowed, given the entries so far in total and on the UTC day of the new one.</summary>
    public bool Allows(long total, long today) =>
        (EntriesTotal is not { } maxTotal || total < maxTotal) && (EntriesPerDay is not { } maxDay || today < maxDay);
}
