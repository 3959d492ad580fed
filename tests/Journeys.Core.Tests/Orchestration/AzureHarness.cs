using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// The Azure runtime's decisions on a virtual clock: the event ingestion over a user partition (in
/// memory, counting storage transactions), one orchestration per enrollment on the fake Durable host,
/// the activities over the same stores. It replays an event log the way the simulator does (timers
/// and scheduled runs due at or before an event happen first; after the last event timers drain), so
/// the two traces can be compared. Starting or signalling an enrollment runs it until it waits, which
/// is the single-node runtime's order; on Azure those run concurrently.
/// </summary>
internal sealed class AzureHarness : IRuntimeOutput, IEnrollmentSignals
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public AzureHarness(DefinitionSet definitions, EngineOptions? options = null, int maxIterations = 32)
        : this(definitions, InMemoryStores.Create(), null, options, maxIterations)
    {
    }

    /// <param name="users">The ingestion's partition store; by default one over <paramref name="stores"/> that counts transactions.</param>
    public AzureHarness(DefinitionSet definitions, RuntimeStores stores, IUserPartition? users, EngineOptions? options = null, int maxIterations = 32)
    {
        Definitions = definitions;
        Stores = stores;
        Partition = new StoreUserPartition(Stores);
        Ingestor = new EventIngestor(() => definitions, users ?? Partition, this, this);
        var activities = new EnrollmentActivities(Stores, this, options);
        var orchestrator = new EnrollmentOrchestrator(new DefinitionSetCatalog(() => definitions), options, Decisions.Add) { MaxIterations = maxIterations };
        Host = new FakeDurableHost(orchestrator.RunAsync, new()
        {
            [ActivityNames.LoadContext] = activities.LoadContext,
            [ActivityNames.Apply] = activities.Apply,
            [ActivityNames.Send] = activities.Send,
        });
        Host.Now = DateTimeOffset.MinValue;
        foreach (var journey in definitions.Journeys)
        {
            if (journey.Definition.Entry is ScheduleEntry schedule)
            {
                Host.At(schedule.At, () => RunSchedule(journey, schedule.At));
            }
        }
    }

    public DefinitionSet Definitions { get; }

    public RuntimeStores Stores { get; }

    /// <summary>The counting partition store (the one in use unless another was given).</summary>
    public StoreUserPartition Partition { get; }

    public EventIngestor Ingestor { get; }

    public FakeDurableHost Host { get; }

    public List<TraceRecord> Trace { get; } = [];

    public List<SendMessage> Sends { get; } = [];

    public List<EnrollmentDecision> Decisions { get; } = [];

    public int Starts { get; private set; }

    public int Deliveries { get; private set; }

    /// <summary>Scheduled runs after this instant do not happen (set when draining, as the simulator does).</summary>
    public DateTimeOffset? ScheduleHorizon { get; set; }

    void IRuntimeOutput.Trace(TraceRecord record) => Trace.Add(record);

    void IRuntimeOutput.Send(SendMessage message) => Sends.Add(message);

    void IEnrollmentSignals.Start(EnrollmentState state)
    {
        Starts++;
        Host.Start(state.EnrollmentId, OrchestrationJson.Write(OrchestrationInput.Start(state)));
        Host.RunUntilIdle();
    }

    void IEnrollmentSignals.Deliver(string enrollmentId, EnrollmentSignal signal)
    {
        Deliveries++;
        Host.Raise(enrollmentId, ActivityNames.EventName, OrchestrationJson.Write(signal));
        Host.RunUntilIdle();
    }

    public IngestOutcome Ingest(CustomerEvent e)
    {
        if (!_seen.Contains(e.MessageId))
        {
            AdvanceTo(e.Timestamp); // a repeat does not move the clock (the runtime dedupes first)
        }
        _seen.Add(e.MessageId);
        return Ingestor.Ingest(e, Host.Now);
    }

    public void AdvanceTo(DateTimeOffset upTo)
    {
        while (Host.FireNextTimer(upTo))
        {
        }
        if (upTo > Host.Now)
        {
            Host.Now = upTo;
        }
    }

    public void Stop(string journeyId, DateTimeOffset at)
    {
        AdvanceTo(at);
        Ingestor.Stop(journeyId, Host.Now);
    }

    /// <summary>The simulator's loop (no <c>--until</c>): events in file order, then timers drain for up to a year.</summary>
    public void Replay(IEnumerable<string> lines)
    {
        DateTimeOffset? last = null;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            var parsed = EventParser.Parse(line);
            if (parsed.Event is { } e && Ingest(e) == IngestOutcome.Accepted)
            {
                last = Host.Now;
            }
        }
        if (last is { } end)
        {
            ScheduleHorizon = end;
            AdvanceTo(end + TimeSpan.FromDays(366));
        }
    }

    private void RunSchedule(CompiledJourney journey, DateTimeOffset due)
    {
        var at = Host.Now;
        if ((ScheduleHorizon is { } horizon && at > horizon) || !EventIngestor.ScheduleOpen(journey, at))
        {
            return;
        }
        if (EventIngestor.NextRun(journey, due) is { } next)
        {
            Host.At(next, () => RunSchedule(journey, next));
        }
        Ingestor.RunSchedule(journey, at);
    }
}
