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
/// the two traces can be compared. Starting or waking an enrollment runs it until it waits, which
/// is the single-node runtime's order; on Azure those run concurrently. Definitions reach the
/// orchestrator as text through its LoadDefinition activity, as on Azure.
/// </summary>
internal sealed class AzureHarness : IRuntimeOutput, IEnrollmentSignals
{
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _journeyTexts = new(StringComparer.Ordinal);
    private readonly List<string> _segmentTexts = [];

    /// <param name="sources">Journey and segment files as (name, JSON), as <see cref="DefinitionLoader.Load"/> takes them.</param>
    public AzureHarness(IReadOnlyList<(string File, string Json)> sources, EngineOptions? options = null, int maxIterations = 32)
        : this(sources, InMemoryStores.Create(), null, options, maxIterations)
    {
    }

    /// <param name="users">The partition store; by default one over <paramref name="stores"/> that counts transactions.
    /// It must also be the orchestrations' <see cref="IEnrollmentPartition"/>.</param>
    /// <param name="counters">Entries of journeys with limits, shared by the ingestion and the jump activities; in memory by default.</param>
    public AzureHarness(IReadOnlyList<(string File, string Json)> sources, RuntimeStores stores, IUserPartition? users, EngineOptions? options = null, int maxIterations = 32, IEntryCounters? counters = null)
    {
        var loaded = DefinitionLoader.Load(sources);
        if (!loaded.IsValid)
        {
            throw new ArgumentException("invalid definitions:\n" + string.Join("\n", loaded.Problems));
        }
        var definitions = DefinitionSet.From(loaded);
        foreach (var (file, json) in sources)
        {
            if (file.EndsWith(DefinitionLoader.SegmentSuffix, StringComparison.OrdinalIgnoreCase))
            {
                _segmentTexts.Add(json);
            }
            else if (DefinitionReader.ReadJourney(file, json).Definition is { } journey)
            {
                _journeyTexts[journey.Id] = json;
            }
        }
        Definitions = definitions;
        Stores = stores;
        Partition = new StoreUserPartition(Stores);
        var partition = users ?? Partition;
        counters ??= new InMemoryJourneyCounters();
        Ingestor = new EventIngestor(() => definitions, partition, this, this, counters: counters, experiments: Experiments);
        RateSlots = new InMemoryRateSlots(() => Host!.Now);
        var activities = new EnrollmentActivities(Stores, (IEnrollmentPartition)partition, this, Source, RateSlots, Experiments);
        var orchestrator = new EnrollmentOrchestrator(options, Decisions.Add) { MaxIterations = maxIterations };
        // a jump activity runs inside an orchestration's episode: its start is queued, the host runs it after
        var jumps = new EventIngestor(() => definitions, partition, new QueuedSignals(this), this, counters: counters);
        Host = new FakeDurableHost(orchestrator.RunAsync, new()
        {
            // a worker of the app before the fold ignores PullRequest.Definition (and RateLimits) and ApplyRequest.Sends, and answers "ok"
            [ActivityNames.Pull] = json => EarlierWorker
                ? OrchestrationJson.Write(OrchestrationJson.ReadPull(activities.Pull(json)) with { Definition = null, RateLimits = null })
                : activities.Pull(json),
            [ActivityNames.TakeRateSlots] = activities.TakeRateSlots,
            [ActivityNames.LoadDefinition] = activities.LoadDefinition,
            [ActivityNames.Apply] = json =>
            {
                for (var run = 0; run < ApplyRetries; run++)
                {
                    activities.RecordExperiments(OrchestrationJson.ReadApply(json)); // a retried activity counts again (its rows are rewritten, not added, on Azure)
                }
                return EarlierWorker ? EarlierApply(activities, json) : activities.Apply(json);
            },
            [ActivityNames.Send] = activities.Send,
            [ActivityNames.Jump] = json =>
            {
                var request = OrchestrationJson.ReadJump(json);
                for (var run = 0; run <= JumpRetries; run++)
                {
                    jumps.Jump(request.Jump, request.Marker); // a retried activity runs its work again
                }
                return "ok";
            },
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

    /// <summary>Journeys and segments as JSON (the test's own strings).</summary>
    public static AzureHarness FromJson(IEnumerable<string> journeys, IEnumerable<string>? segments = null, EngineOptions? options = null, int maxIterations = 32) =>
        new(Sources(journeys, segments), options, maxIterations);

    /// <summary>A definitions folder's files, read as the loader reads them.</summary>
    public static IReadOnlyList<(string File, string Json)> DirectorySources(string directory) =>
        Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(DefinitionLoader.JourneySuffix, StringComparison.OrdinalIgnoreCase) || f.EndsWith(DefinitionLoader.SegmentSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (f, File.ReadAllText(f)))
            .ToList();

    public static IReadOnlyList<(string File, string Json)> Sources(IEnumerable<string> journeys, IEnumerable<string>? segments = null) =>
        [.. (segments ?? []).Select((json, i) => ($"s{i}{DefinitionLoader.SegmentSuffix}", json)),
         .. journeys.Select((json, i) => ($"j{i}{DefinitionLoader.JourneySuffix}", json))];

    /// <summary>A journey version as the LoadDefinition activity returns it (every version here is 1).</summary>
    public DefinitionSource? Source(DefinitionRequest request) =>
        _journeyTexts.TryGetValue(request.JourneyId, out var json) && Definitions.Journey(request.JourneyId, request.Version) is not null
            ? new DefinitionSource(request.JourneyId, request.Version, json, _segmentTexts)
            : null;

    public DefinitionSet Definitions { get; }

    /// <summary>Experiment tallies of winner-rule splits, read by the pulls, written by the applies, converted by the ingestion.</summary>
    public InMemoryExperimentCounts Experiments { get; } = new(new InMemoryJourneyCounters());

    /// <summary>How often each apply activity records its experiment counts before the run whose result counts (Durable's retries).</summary>
    public int ApplyRetries { get; set; }

    public RuntimeStores Stores { get; }

    /// <summary>The counting partition store (the one in use unless another was given).</summary>
    public StoreUserPartition Partition { get; }

    public EventIngestor Ingestor { get; }

    public FakeDurableHost Host { get; }

    /// <summary>The rate-limited channels' per-minute counts the orchestrations take slots in.</summary>
    public InMemoryRateSlots RateSlots { get; }

    public List<TraceRecord> Trace { get; } = [];

    public List<SendMessage> Sends { get; } = [];

    public List<EnrollmentDecision> Decisions { get; } = [];

    public int Starts { get; private set; }

    public int Deliveries { get; private set; }

    /// <summary>Scheduled runs after this instant do not happen (set when draining, as the simulator does).</summary>
    public DateTimeOffset? ScheduleHorizon { get; set; }

    void IRuntimeOutput.Trace(TraceRecord record) => Trace.Add(record);

    void IRuntimeOutput.Send(SendMessage message) => Sends.Add(message);

    /// <summary>How many times each jump activity runs again after its work (as a Durable retry would).</summary>
    public int JumpRetries { get; set; }

    /// <summary>
    /// Starts write the input of an app from before the fold (<see cref="OrchestrationInput.Folded"/> false), as an
    /// execution in flight at an upgrade has.
    /// </summary>
    public bool UnfoldedStarts { get; set; }

    private string StartInput(EnrollmentState state)
    {
        var input = OrchestrationInput.Start(state, Guid.NewGuid().ToString("N"));
        return OrchestrationJson.Write(UnfoldedStarts ? input with { Folded = false } : input);
    }

    private static string EarlierApply(EnrollmentActivities activities, string json)
    {
        activities.Apply(OrchestrationJson.Write(OrchestrationJson.ReadApply(json) with { Sends = null }));
        return "ok";
    }

    /// <summary>Activities answer as a worker of the app before the fold would (a rolling deployment's older instance).</summary>
    public bool EarlierWorker { get; set; }

    /// <summary>Wakes raised to instances (for tests that drop them on purpose: return false to drop).</summary>
    public Func<string, bool> DeliverWake { get; set; } = _ => true;

    void IEnrollmentSignals.Start(EnrollmentState state)
    {
        Starts++;
        // as the Functions app: start only when no instance has the id (never rely on id dedupe)
        if (!Host.Instances.ContainsKey(state.EnrollmentId))
        {
            Host.Start(state.EnrollmentId, StartInput(state));
        }
        Host.RunUntilIdle();
    }

    void IEnrollmentSignals.Wake(EnrollmentState state)
    {
        Deliveries++;
        if (!Host.Instances.ContainsKey(state.EnrollmentId))
        {
            Host.Start(state.EnrollmentId, StartInput(state));
        }
        else if (DeliverWake(state.EnrollmentId))
        {
            Host.Raise(state.EnrollmentId, ActivityNames.EventName, "wake");
        }
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

    /// <summary>Starts or wakes as the Functions app does, without running the host (the caller's episode is running).</summary>
    private sealed class QueuedSignals(AzureHarness harness) : IEnrollmentSignals
    {
        public void Start(EnrollmentState state) => Wake(state);

        public void Wake(EnrollmentState state)
        {
            harness.Starts++;
            if (!harness.Host.Instances.ContainsKey(state.EnrollmentId))
            {
                harness.Host.Start(state.EnrollmentId, harness.StartInput(state));
            }
            else
            {
                harness.Host.Raise(state.EnrollmentId, ActivityNames.EventName, "wake");
            }
        }
    }
}
