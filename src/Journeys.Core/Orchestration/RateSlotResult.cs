namespace Journeys.Core.Orchestration;

/// <summary>
/// The <see cref="ActivityNames.TakeRateSlots"/> activity's answer: a grant per take, in order, up to and including
/// the first one that has to wait (the decision is made again from there, so later takes would not be its).
/// </summary>
public sealed record RateSlotResult(IReadOnlyList<RateSlotGrant> Grants);
