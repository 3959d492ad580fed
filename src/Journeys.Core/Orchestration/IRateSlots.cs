namespace Journeys.Core.Orchestration;

/// <summary>
/// Per-(channel, UTC minute) send counts across all users (DESIGN §10, docs/azure.md "Send policies on Azure"): a
/// take counts the send in the first minute it may go in that has room, without a lock over the channel.
/// </summary>
public interface IRateSlots
{
    /// <summary>Takes one slot, once per <see cref="RateSlotTake.Key"/>: taking the same key again returns the first grant.</summary>
    RateSlotGrant Take(RateSlotTake take);
}
