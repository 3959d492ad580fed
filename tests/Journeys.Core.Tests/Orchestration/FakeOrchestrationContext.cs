using Journeys.Core.Orchestration;
using static Journeys.Core.Tests.Orchestration.FakeDurableHost;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>Thrown when a replay issues other commands than the recorded history holds.</summary>
internal sealed class NonDeterministicOrchestrationException(string message) : Exception(message);

/// <summary>
/// One replay of an instance's current execution: runs the orchestrator from the start under a
/// single-threaded synchronization context, delivering the recorded messages episode by episode.
/// </summary>
internal sealed class FakeOrchestrationContext(Instance instance) : IOrchestrationContext
{
    private readonly Dictionary<int, TaskCompletionSource<string>> _activities = [];
    private readonly Dictionary<int, TaskCompletionSource> _timers = [];
    private readonly Dictionary<string, Queue<TaskCompletionSource<string>>> _waiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string Payload)> _buffered = [];
    private Task<string?>? _run;
    private string? _continueAsNew;
    private bool _preserveUnprocessed;
    private int _guids;

    public List<Command> Issued { get; } = [];

    public int MaxOutstandingWaiters { get; private set; }

    public string InstanceId => instance.Id;

    public DateTime CurrentUtcDateTime { get; private set; }

    public bool IsReplaying { get; private set; }

    /// <summary>Replay-safe: derived from the instance object's seed, the execution and a counter, as Durable derives it from the instance.</summary>
    public Guid NewGuid()
    {
        var bytes = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes($"{instance.Seed}|{instance.Execution}|{_guids++}"));
        return new Guid(bytes);
    }

    public sealed record Outcome(bool Completed, string? Output, string? ContinueAsNewInput, IReadOnlyList<(string Name, string Payload)> Unprocessed);

    public Outcome Replay(OrchestratorFunction orchestrator)
    {
        var previous = SynchronizationContext.Current;
        var pump = new PumpContext();
        SynchronizationContext.SetSynchronizationContext(pump);
        try
        {
            var episodes = instance.Episodes;
            for (var k = 0; k < episodes.Count; k++)
            {
                CurrentUtcDateTime = episodes[k].Time;
                IsReplaying = k < episodes.Count - 1;
                foreach (var message in episodes[k].Messages)
                {
                    switch (message.Kind)
                    {
                        case MessageKind.Started:
                            _run = orchestrator(this, instance.Input);
                            break;
                        case MessageKind.ActivityCompleted:
                            if (!_activities.TryGetValue(message.Command, out var activity))
                            {
                                throw new NonDeterministicOrchestrationException($"{instance.Id}: activity result for command {message.Command}, which the replay did not issue");
                            }
                            activity.SetResult(message.Payload);
                            break;
                        case MessageKind.TimerFired:
                            if (!_timers.TryGetValue(message.Command, out var timer))
                            {
                                throw new NonDeterministicOrchestrationException($"{instance.Id}: timer {message.Command} fired, which the replay did not create");
                            }
                            timer.TrySetResult(); // a cancelled timer's firing is ignored
                            break;
                        case MessageKind.EventRaised:
                            Deliver(message.Name, message.Payload);
                            break;
                    }
                    pump.Drain();
                    if (_run is { IsFaulted: true })
                    {
                        _run.GetAwaiter().GetResult();
                    }
                }
                if (IsReplaying && Issued.Count != instance.CommandCountAfterEpisode[k])
                {
                    throw new NonDeterministicOrchestrationException(
                        $"{instance.Id}: replay issued {Issued.Count} commands by episode {k}, history recorded {instance.CommandCountAfterEpisode[k]}");
                }
            }
            var completed = _run is { IsCompletedSuccessfully: true };
            return new Outcome(
                completed && _continueAsNew is null,
                completed ? _run!.Result : null,
                _continueAsNew,
                _continueAsNew is not null && _preserveUnprocessed ? _buffered.ToList() : []);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    public Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var index = Issue(new Command(CommandKind.Timer, "", "", new DateTimeOffset(fireAt, TimeSpan.Zero)));
        var source = new TaskCompletionSource();
        _timers[index] = source;
        cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        return source.Task;
    }

    public Task<string> WaitForExternalEvent(string eventName, CancellationToken cancellationToken = default)
    {
        var buffered = _buffered.FindIndex(e => string.Equals(e.Name, eventName, StringComparison.OrdinalIgnoreCase));
        if (buffered >= 0)
        {
            var payload = _buffered[buffered].Payload;
            _buffered.RemoveAt(buffered);
            return Task.FromResult(payload);
        }
        var source = new TaskCompletionSource<string>();
        if (!_waiters.TryGetValue(eventName, out var queue))
        {
            _waiters[eventName] = queue = new Queue<TaskCompletionSource<string>>();
        }
        queue.Enqueue(source);
        cancellationToken.Register(() => source.TrySetCanceled(cancellationToken));
        MaxOutstandingWaiters = Math.Max(MaxOutstandingWaiters, _waiters.Values.Sum(q => q.Count(w => !w.Task.IsCompleted)));
        return source.Task;
    }

    public Task<string> CallActivityAsync(string name, string input, ActivityRetry retry)
    {
        var index = Issue(new Command(CommandKind.Activity, name, input, default));
        var source = new TaskCompletionSource<string>();
        _activities[index] = source;
        return source.Task;
    }

    public void ContinueAsNew(string newInput, bool preserveUnprocessedEvents)
    {
        _continueAsNew = newInput;
        _preserveUnprocessed = preserveUnprocessedEvents;
    }

    /// <summary>As Durable: the oldest waiter takes the event even if it was cancelled (then the event is gone).</summary>
    private void Deliver(string name, string payload)
    {
        if (_waiters.TryGetValue(name, out var queue) && queue.Count > 0)
        {
            var waiter = queue.Dequeue();
            // a cancelled waiter, or one of a function that already returned, swallows the event
            if ((!waiter.TrySetResult(payload) || _run is { IsCompleted: true }) && !IsReplaying)
            {
                instance.LostEvents++;
            }
        }
        else
        {
            _buffered.Add((name, payload));
        }
    }

    private int Issue(Command command)
    {
        var index = Issued.Count;
        if (index < instance.Commands.Count && instance.Commands[index] != command)
        {
            throw new NonDeterministicOrchestrationException($"{instance.Id}: command {index} is {command}, history recorded {instance.Commands[index]}");
        }
        Issued.Add(command);
        return index;
    }

    /// <summary>Continuations queue here and run on the replay's thread, in order, as on Durable's orchestrator thread.</summary>
    private sealed class PumpContext : SynchronizationContext
    {
        private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();

        public override void Post(SendOrPostCallback d, object? state) => _queue.Enqueue((d, state));

        public override void Send(SendOrPostCallback d, object? state) => d(state);

        public void Drain()
        {
            while (_queue.TryDequeue(out var item))
            {
                item.Callback(item.State);
            }
        }
    }
}
