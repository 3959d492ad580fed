using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Core.Orchestration;

/// <summary>
/// The orchestrator's activities over the runtime's ports: the Functions app binds them to Table
/// Storage stores and channel delivery, the tests to in-memory stores. Each is safe to run twice.
/// </summary>
public sealed class EnrollmentActivities(RuntimeStores stores, IRuntimeOutput output, EngineOptions? options = null)
{
    private readonly EngineOptions _options = options ?? EngineOptions.Default;

    public string LoadContext(string requestJson)
    {
        var request = OrchestrationJson.ReadContextRequest(requestJson);
        var profile = stores.Profiles.Find(request.UserId) ?? Profile.Empty(request.UserId);
        IReadOnlyList<HistoryEvent> history = stores.History.Get(request.UserId);
        if (request.UpToSequence is { } upTo && history.Count > 0 && history[^1].Sequence > upTo)
        {
            history = history.Where(h => h.Sequence <= upTo).ToArray();
        }
        var recent = _options.FrequencyCap is { } cap ? stores.Sends.CountSince(request.UserId, cap.Within.SubtractFrom(request.At)) : 0;
        return OrchestrationJson.Write(new ContextSnapshot(request.UserId, profile.TraitsValue, history, recent));
    }

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
        foreach (var update in request.ProfileUpdates)
        {
            stores.Profiles.Save((stores.Profiles.Find(update.UserId) ?? Profile.Empty(update.UserId)).Merge(update.Traits));
        }
        return "ok";
    }

    public string Send(string messageJson)
    {
        output.Send(OrchestrationJson.ReadSend(messageJson));
        return "ok";
    }
}
