using Journeys.Core.Definitions;

namespace Journeys.Core.Orchestration;

/// <summary>
/// One send's slot in its channel's per-minute limit (DESIGN §10), asked of <see cref="ActivityNames.TakeRateSlots"/>.
/// </summary>
/// <param name="Key">The same in every run of the same decision (enrollment, steps taken, input time, position): a retried take returns what the first took.</param>
/// <param name="At">When the engine would send it (the decision's time, or the slot it spaced a later send of the same decision to).</param>
/// <param name="PerMinute">The channel's limit the execution decides with.</param>
public sealed record RateSlotTake(string Key, Channel Channel, DateTimeOffset At, int PerMinute);
