namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// A single-threaded stand-in for the Durable Task runtime, modelling what the enrollment orchestrator
/// relies on: every wake-up replays the orchestrator function from the start over the recorded history
/// (recorded results, the episode's time), checking that it issues the same commands in the same order;
/// external events go to the oldest waiter, or are buffered when nobody waits, and an event handed to a
/// waiter of a finished execution is gone (as in Durable); timers fire in due order on a virtual clock
/// and a cancelled timer still fires later, ignored; ContinueAsNew restarts with the new input and an
/// empty history, re-sending buffered events only when asked to. Scheduling an id that finished starts it
/// over (as both Durable backends do). Activities run synchronously when scheduled.
/// </summary>
internal sealed class FakeDurableHost
{
    public delegate Task<string?> OrchestratorFunction(Journeys.Core.Orchestration.IOrchestrationContext context, string input);

    private readonly OrchestratorFunction _orchestrator;
    private readonly Dictionary<string, Func<string, string>> _activities;
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly PriorityQueue<PendingTimer, (DateTimeOffset Due, long Seq)> _timers = new();
    private readonly Queue<Instance> _ready = new();
    private long _timerSeq;

    public FakeDurableHost(OrchestratorFunction orchestrator, Dictionary<string, Func<string, string>> activities)
    {
        _orchestrator = orchestrator;
        _activities = activities;
    }

    /// <summary>The virtual clock: episode times and timer firing.</summary>
    public DateTimeOffset Now { get; set; }

    /// <summary>Each activity call, in the order executed (name, input and result).</summary>
    public List<(string Name, string Input, string Output)> ActivityCalls { get; } = [];

    public IReadOnlyDictionary<string, Instance> Instances => _instances;

    public DateTimeOffset? NextTimer
    {
        get
        {
            while (_timers.TryPeek(out var t, out _) && !IsLive(t))
            {
                _timers.Dequeue();
            }
            return _timers.TryPeek(out var timer, out _) ? timer.Due : null;
        }
    }

    /// <summary>Schedules an instance; a running one with the id makes it a no-op, a finished one starts over (as Durable does).</summary>
    public bool Start(string instanceId, string input)
    {
        if (_instances.TryGetValue(instanceId, out var existing) && existing.Status == InstanceStatus.Running)
        {
            return false;
        }
        var instance = new Instance(instanceId, input);
        _instances[instanceId] = instance;
        instance.Inbox.Add(Message.Started());
        Ready(instance);
        return true;
    }

    /// <summary>Raises an event; dropped when the instance does not exist or has finished (as Durable does).</summary>
    public void Raise(string instanceId, string name, string payload)
    {
        if (_instances.TryGetValue(instanceId, out var instance) && instance.Status == InstanceStatus.Running)
        {
            instance.Inbox.Add(Message.Event(name, payload));
            Ready(instance);
        }
    }

    /// <summary>Runs every instance with messages until none has any.</summary>
    public void RunUntilIdle()
    {
        while (_ready.TryDequeue(out var instance))
        {
            instance.Queued = false;
            if (instance.Inbox.Count > 0)
            {
                RunEpisode(instance);
            }
        }
    }

    /// <summary>Something else due on the same clock (a scheduled entry run), ordered with the timers by due time, then creation.</summary>
    public void At(DateTimeOffset due, Action action) =>
        _timers.Enqueue(new PendingTimer(null, 0, -1, due, action), (due, _timerSeq++));

    /// <summary>Fires the earliest live timer due at or before <paramref name="upTo"/> (clock moves to it) and runs until idle.</summary>
    public bool FireNextTimer(DateTimeOffset upTo)
    {
        if (NextTimer is not { } due || due > upTo)
        {
            return false;
        }
        var timer = _timers.Dequeue();
        if (due > Now)
        {
            Now = due;
        }
        if (timer.Action is { } action)
        {
            action();
        }
        else
        {
            timer.Instance!.Inbox.Add(Message.TimerFired(timer.Execution, timer.Command));
            Ready(timer.Instance);
        }
        RunUntilIdle();
        return true;
    }

    private static bool IsLive(PendingTimer timer) => timer.Instance is null ||
        timer.Instance.Status == InstanceStatus.Running && timer.Instance.Execution == timer.Execution;

    private void Ready(Instance instance)
    {
        if (!instance.Queued)
        {
            instance.Queued = true;
            _ready.Enqueue(instance);
        }
    }

    private void RunEpisode(Instance instance)
    {
        // messages for an execution that has since continued as new are dropped, like Durable's stale timers
        var messages = instance.Inbox.Where(m => m.Execution is null || m.Execution == instance.Execution).ToList();
        instance.Inbox.Clear();
        if (messages.Count == 0)
        {
            return;
        }
        instance.Episodes.Add(new Episode(Now.UtcDateTime, messages));
        instance.HistoryEvents += 2 + messages.Count; // OrchestratorStarted/Completed + one event per message
        instance.Replays++;

        var context = new FakeOrchestrationContext(instance);
        var outcome = context.Replay(_orchestrator);

        var known = instance.Commands.Count;
        for (var i = known; i < context.Issued.Count; i++)
        {
            var command = context.Issued[i];
            instance.Commands.Add(command);
            instance.HistoryEvents++; // TaskScheduled or TimerCreated
            if (command.Kind == CommandKind.Activity)
            {
                var result = _activities[command.Name](command.Input);
                ActivityCalls.Add((command.Name, command.Input, result));
                instance.Inbox.Add(Message.ActivityCompleted(instance.Execution, i, result));
                Ready(instance);
            }
            else
            {
                _timers.Enqueue(new PendingTimer(instance, instance.Execution, i, command.FireAt), (command.FireAt, _timerSeq++));
            }
        }
        instance.CommandCountAfterEpisode.Add(context.Issued.Count);
        instance.MaxOutstandingWaiters = Math.Max(instance.MaxOutstandingWaiters, context.MaxOutstandingWaiters);
        instance.MaxHistoryEvents = Math.Max(instance.MaxHistoryEvents, instance.HistoryEvents);

        if (outcome.ContinueAsNewInput is { } next)
        {
            instance.HistoryEvents++;
            instance.ContinuedAsNew++;
            instance.StartNewExecution(next);
            foreach (var (name, payload) in outcome.Unprocessed)
            {
                instance.Inbox.Add(Message.Event(name, payload));
            }
            instance.Inbox.Insert(0, Message.Started());
            // events raised to the old execution but not yet in an episode belong to the new one
            Ready(instance);
        }
        else if (outcome.Completed)
        {
            instance.HistoryEvents++;
            instance.Status = InstanceStatus.Completed;
            instance.Output = outcome.Output;
        }
    }

    internal enum InstanceStatus { Running, Completed }

    internal enum CommandKind { Activity, Timer }

    internal sealed record Command(CommandKind Kind, string Name, string Input, DateTimeOffset FireAt);

    internal enum MessageKind { Started, ActivityCompleted, TimerFired, EventRaised }

    /// <param name="Execution">The execution it was meant for (null: whichever is current).</param>
    internal sealed record Message(MessageKind Kind, int? Execution, int Command, string Name, string Payload)
    {
        public static Message Started() => new(MessageKind.Started, null, -1, "", "");

        public static Message ActivityCompleted(int execution, int command, string result) => new(MessageKind.ActivityCompleted, execution, command, "", result);

        public static Message TimerFired(int execution, int command) => new(MessageKind.TimerFired, execution, command, "", "");

        public static Message Event(string name, string payload) => new(MessageKind.EventRaised, null, -1, name, payload);
    }

    internal sealed record Episode(DateTime Time, List<Message> Messages);

    private sealed record PendingTimer(Instance? Instance, int Execution, int Command, DateTimeOffset Due, Action? Action = null);

    internal sealed class Instance(string id, string input)
    {
        public string Id { get; } = id;

        public string Input { get; private set; } = input;

        /// <summary>Distinguishes this instance object from a later one with the same id (replay-safe GUIDs).</summary>
        public Guid Seed { get; } = Guid.NewGuid();

        public int Execution { get; private set; }

        public InstanceStatus Status { get; set; } = InstanceStatus.Running;

        public string? Output { get; set; }

        public List<Episode> Episodes { get; } = [];

        public List<Command> Commands { get; } = [];

        /// <summary>How many commands the orchestrator had issued at the end of each episode.</summary>
        public List<int> CommandCountAfterEpisode { get; } = [];

        public List<Message> Inbox { get; } = [];

        public bool Queued { get; set; }

        /// <summary>History events of the current execution, counted as Durable records them.</summary>
        public int HistoryEvents { get; set; }

        public int MaxHistoryEvents { get; set; }

        /// <summary>Wake-ups, each replaying the current execution from its start.</summary>
        public int Replays { get; set; }

        public int ContinuedAsNew { get; set; }

        public int MaxOutstandingWaiters { get; set; }

        /// <summary>Events a waiter took that nobody would handle (a cancelled waiter, a finished execution's).</summary>
        public int LostEvents { get; set; }

        public void StartNewExecution(string input)
        {
            Input = input;
            Execution++;
            Episodes.Clear();
            Commands.Clear();
            CommandCountAfterEpisode.Clear();
            HistoryEvents = 0;
        }
    }
}
