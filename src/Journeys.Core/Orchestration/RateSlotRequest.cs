namespace Journeys.Core.Orchestration;

/// <summary>The <see cref="ActivityNames.TakeRateSlots"/> activity's input: one decision's rate-limited sends, in the engine's order.</summary>
public sealed record RateSlotRequest(IReadOnlyList<RateSlotTake> Takes);
