using Journeys.Core.Engine;
using Journeys.Core.Audience;
using Journeys.Core.Runtime;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The orchestrator's activities over the runtime's ports: the Functions app binds them to Table
/// Storage and channel delivery, the tests to in-memory stores. Each is safe to run twice.
/// </summary>
/// <param name="definitions">Published versions as text (the Functions app reads its catalog table instead).</param>
/// <param name="rates">The per-minute send counts of rate-limited channels; none: a <see cref="TakeRateSlots"/> fails.</param>
/// <param name="experiments">Tallies of winner-rule splits; none: such splits only split (a driver that keeps no tallies).</param>
public sealed class EnrollmentActivities(
    RuntimeStores stores,
    IEnrollmentPartition partition,
    IRuntimeOutput output,
    Func<DefinitionRequest, DefinitionSource?>? definitions = null,
    IRateSlots? rates = null,
    IExperimentCounts? experiments = null)
{
    private readonly DefinitionCompiler _compiler = new();

    /// <summary>
    /// The partition's pull, with the definition it asks for when the run owns the enrollment (an execution's first
    /// pull), and the tallies of the journey's winner-rule splits (the first pull finds them in that definition).
    /// </summary>
    public string Pull(string requestJson)
    {
        var request = OrchestrationJson.ReadPullRequest(requestJson);
        var pulled = partition.Pull(request) with { RateLimits = request.RateLimits };
        if (!pulled.Owned)
        {
            return OrchestrationJson.Write(pulled);
        }
        var tallies = request.Experiments;
        if (request.Definition is { } wanted)
        {
            var source = Source(wanted);
            pulled = pulled with { Definition = source };
            tallies ??= experiments is null ? null : TallyRequest.For(_compiler.Compile(source));
        }
        if (experiments is not null && tallies is not null)
        {
            pulled = pulled with { Experiments = tallies.Steps.ToDictionary(s => s, s => experiments.Tally(tallies.JourneyId, s), StringComparer.Ordinal) };
        }
        return OrchestrationJson.Write(pulled);
    }

    /// <summary>
    /// The decision's takes in order, up to the first that has to wait: the orchestrator decides again from that
    /// send, so the takes after it would not be the new decision's. Each take is keyed: a retry takes nothing twice.
    /// </summary>
    public string TakeRateSlots(string requestJson)
    {
        var slots = rates ?? throw new InvalidOperationException("rate limits are configured but these activities keep no rate slots");
        var grants = new List<RateSlotGrant>();
        foreach (var take in OrchestrationJson.ReadRateSlotRequest(requestJson).Takes)
        {
            var grant = slots.Take(take);
            grants.Add(grant);
            if (grant.Until is not null)
            {
                break;
            }
        }
        return OrchestrationJson.Write(new RateSlotResult(grants));
    }

    public string LoadDefinition(string requestJson) => OrchestrationJson.Write(Source(OrchestrationJson.ReadDefinitionRequest(requestJson)));

    private DefinitionSource Source(DefinitionRequest request) => definitions?.Invoke(request)
        ?? throw new InvalidOperationException($"journey {request.JourneyId} version {request.Version} is not published");

    public string Apply(string requestJson)
    {
        var request = OrchestrationJson.ReadApply(requestJson);
        stores.Enrollments.Save(request.After);
        output.Advanced(request.Before, request.After);
        foreach (var record in request.Traces)
        {
            output.Trace(record);
        }
        foreach (var at in request.SendTimes)
        {
            stores.Sends.Record(request.After.UserId, at);
        }
        ApplyProfileUpdates(request.ProfileUpdates);
        RecordExperiments(request);
        foreach (var message in request.Sends ?? [])
        {
            Deliver(message); // throws on a failed delivery: the retried activity re-applies, then skips the marked
        }
        return ActivityNames.AppliedAndSent;
    }

    /// <summary>The profile part of <see cref="Apply"/>, for a driver that writes the rest in one transaction of its own.</summary>
    public void ApplyProfileUpdates(IReadOnlyList<UpdateProfile> updates)
    {
        foreach (var update in updates)
        {
            stores.Profiles.Save((stores.Profiles.Find(update.UserId) ?? Profile.Empty(update.UserId)).Merge(update.Traits));
        }
    }

    /// <summary>
    /// The decision's assignments and winners (<see cref="ApplyRequest.Assigned"/>, <see cref="ApplyRequest.Winners"/>):
    /// each assignment under the decision's id and its index, so a retried activity counts none twice.
    /// </summary>
    public void RecordExperiments(ApplyRequest request)
    {
        if (experiments is null)
        {
            return;
        }
        var scope = request.DecisionScope();
        for (var i = 0; i < (request.Assigned?.Count ?? 0); i++)
        {
            experiments.Assign(request.Assigned![i], $"{scope}~{i}");
        }
        foreach (var winner in request.Winners ?? [])
        {
            experiments.ChooseWinner(winner);
        }
    }

    /// <summary>Check the sent-mark, deliver, write the mark: a retried activity after the mark sends nothing.</summary>
    public string Send(string messageJson) => Deliver(OrchestrationJson.ReadSend(messageJson));

    private string Deliver(SendMessage message)
    {
        if (partition.IsSent(message.UserId, message.IdempotencyKey))
        {
            return "sent-before";
        }
        output.Send(message);
        partition.MarkSent(message.UserId, message.IdempotencyKey, message.At);
        return "ok";
    }
}
