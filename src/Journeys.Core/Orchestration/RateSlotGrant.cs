namespace Journeys.Core.Orchestration;

/// <summary>What one <see cref="RateSlotTake"/> got.</summary>
/// <param name="Until">
/// Null: the send goes as the engine decided (its slot is counted in the first minute it may go in). Otherwise that
/// minute was full: a slot is held in a later minute, and the send waits until this instant (its place in that minute).
/// </param>
public sealed record RateSlotGrant(string Key, DateTimeOffset? Until);
