using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Journeys.Hosting.Publishing;
using Journeys.Local.Storage;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Server;

/// <summary>
/// The one writer: a loop that owns the runtime and its SQLite connection. Requests queue work
/// (events, publishes, pause/resume/stop); the loop takes what has queued, fires due timers, runs
/// it all in one transaction (group commit: one fsync-free WAL append for many requests), and only
/// then completes each request, so a 202 means durable. Timers are rows, not in-memory callbacks:
/// the loop sleeps until the earliest due row (at most a second) and fires them in bounded batches.
/// </summary>
/// <remarks>
/// SQLite has one writer at a time, so a second writer thread would only queue on the file lock;
/// parallelism is across stages instead: request parsing on Kestrel's threads, this loop, and the
/// dispatcher on its own connection. Per-user order is the queue's order.
/// </remarks>
public sealed class EngineHost : IEventIntake, IAsyncDisposable
{
    private readonly ServerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ServedDefinitions _served;
    private readonly SqliteStores _sqlite;
    private readonly SqliteJourneyCatalog _catalog;
    private readonly SqliteRuntimeOutput _output;
    private readonly SqliteOutbox _outboxMarks;
    private readonly SqliteRetention _retention;
    private readonly SqliteRejectedStore _rejected;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;
    private readonly JourneyRuntime _runtime;
    private readonly System.Threading.Channels.Channel<Work> _queue = System.Threading.Channels.Channel.CreateBounded<Work>(new System.Threading.Channels.BoundedChannelOptions(4096) { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Work> _batch = [];
    private Task? _loop;

    public EngineHost(ServerOptions options, DefinitionSources sources, EngineOptions engine, TimeProvider time, ILogger<EngineHost> log)
    {
        _options = options;
        _time = time;
        _log = log;
        _served = new ServedDefinitions(sources.Segments);
        _sqlite = SqliteStores.Open(options.Data);
        try
        {
            _catalog = new SqliteJourneyCatalog(_sqlite.Database);
            _output = new SqliteRuntimeOutput(_sqlite.Database, engine.GlobalControl);
            _outboxMarks = new SqliteOutbox(_sqlite.Database);
            _retention = new SqliteRetention(_sqlite.Database);
            _rejected = new SqliteRejectedStore(_sqlite.Database);
            var now = time.GetUtcNow();
            using (var scope = _sqlite.BeginTransaction())
            {
                PublishFolder(sources, now);
                scope.Commit();
            }
            var journeys = _catalog.All();
            var (set, problems) = _served.Build(journeys, _catalog.VersionKeys(), _catalog.Definition);
            foreach (var problem in problems)
            {
                _log.LogWarning("Definition not served: {Problem}", problem.ToString());
            }
            _runtime = new JourneyRuntime(set, _sqlite.Stores, _output, engine);
            ApplyStatuses(journeys);
            Journeys = journeys;
        }
        catch
        {
            _sqlite.Dispose();
            throw;
        }
    }

    /// <summary>Raised after a commit that queued messages (the dispatcher listens).</summary>
    public event Action? MessagesQueued;

    /// <summary>The journeys and their status as of the last change (read by the HTTP API without a query).</summary>
    public IReadOnlyList<PublishedJourney> Journeys { get; private set; }

    public DefinitionSet Definitions => _runtime.Definitions;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stopping.Token));

    public Task<IngestCounts> IngestAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancel) =>
        Enqueue(new IngestWork(events), cancel);

    /// <summary>Keeps the calls the SDK routes could not take, in the loop's next transaction (durable when it completes).</summary>
    public Task KeepRejectedAsync(IReadOnlyList<RejectedCall> rejected, CancellationToken cancel) =>
        Enqueue(new RejectedWork(rejected), cancel);

    /// <summary>Publishes a journey (validated); the problems when it cannot be.</summary>
    public Task<PublishOutcome> PublishAsync(string journeyId, string json, CancellationToken cancel) =>
        Enqueue(new PublishWork(journeyId, json), cancel);

    /// <summary>Sets a journey's status (pause, resume, stop); false when there is no such journey.</summary>
    public Task<bool> ControlAsync(string journeyId, string status, CancellationToken cancel) =>
        Enqueue(new ControlWork(journeyId, status), cancel);

    /// <summary>
    /// Runs <paramref name="write"/> on the outbox in the loop's next transaction. The dispatcher
    /// marks deliveries this way: one writer means its marks never wait on SQLite's file lock (a
    /// second connection's write would, with Microsoft.Data.Sqlite's sleep-and-retry on busy).
    /// </summary>
    public Task<bool> WriteOutboxAsync(Action<SqliteOutbox> write, CancellationToken cancel) =>
        Enqueue(new OutboxWork(write), cancel);

    private async Task<T> Enqueue<T>(Work<T> work, CancellationToken cancel)
    {
        await _queue.Writer.WriteAsync(work, cancel).ConfigureAwait(false);
        return await work.Result.Task.WaitAsync(cancel).ConfigureAwait(false);
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!_queue.Reader.TryPeek(out _))
                {
                    await WaitForWorkOrTimerAsync(stopping).ConfigureAwait(false);
                }
                Take();
                RunBatch();
                SweepIfDue();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // a failed storage call (disk full, locked file): fail what was taken, keep serving
                _log.LogError(e, "Engine loop iteration failed");
                Fail(_batch, e);
                _batch.Clear();
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stopping).ConfigureAwait(false);
            }
        }
        Fail(_batch, new OperationCanceledException("the server is stopping"));
        while (_queue.Reader.TryRead(out var left))
        {
            left.Fail(new OperationCanceledException("the server is stopping"));
        }
    }

    /// <summary>Retention, hourly, in a transaction of its own.</summary>
    private void SweepIfDue()
    {
        var now = _time.GetUtcNow();
        if (_options.RetentionDays <= 0 || now < _nextSweep)
        {
            return;
        }
        _nextSweep = now.AddHours(1);
        using var scope = _sqlite.BeginTransaction();
        var deleted = _retention.Sweep(now.AddDays(-_options.RetentionDays));
        scope.Commit();
        if (deleted > 0)
        {
            _log.LogInformation("Retention: deleted {Rows} rows older than {Days} days", deleted, _options.RetentionDays);
        }
    }

    private async Task WaitForWorkOrTimerAsync(CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        var wait = TimeSpan.FromSeconds(1);
        if (_sqlite.Stores.Timers.NextDue is { } due)
        {
            wait = due <= now ? TimeSpan.Zero : (due - now < wait ? due - now : wait);
        }
        if (wait <= TimeSpan.Zero)
        {
            return;
        }
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var delay = Task.Delay(wait, _time, wake.Token);
        var work = _queue.Reader.WaitToReadAsync(wake.Token).AsTask();
        await Task.WhenAny(delay, work).ConfigureAwait(false);
        wake.Cancel();
        stopping.ThrowIfCancellationRequested();
    }

    private void Take()
    {
        var events = 0;
        while (events < _options.MaxEventsPerTransaction && _queue.Reader.TryRead(out var work))
        {
            _batch.Add(work);
            events += work.Size;
        }
    }

    /// <summary>Due timers and the taken work in one transaction; on a failure, each piece of work alone.</summary>
    private void RunBatch()
    {
        try
        {
            Transact(_batch);
        }
        catch (Exception e) when (_batch.Count > 1)
        {
            _log.LogWarning(e, "A group of {Count} requests failed; retrying them one by one", _batch.Count);
            foreach (var work in _batch)
            {
                try
                {
                    Transact([work]);
                }
                catch (Exception one)
                {
                    work.Fail(one);
                }
            }
        }
        catch (Exception e)
        {
            Fail(_batch, e);
        }
        finally
        {
            _batch.Clear();
        }
    }

    private void Transact(List<Work> batch)
    {
        var now = _time.GetUtcNow();
        var changedJourneys = false;
        using (var scope = _sqlite.BeginTransaction())
        {
            try
            {
                var caughtUp = _runtime.AdvanceTo(now, _options.MaxTimersPerTransaction);
                // behind on due timers: run the work at the backlog's clock, so time never goes back
                var at = caughtUp ? now : _runtime.Now;
                foreach (var work in batch)
                {
                    work.Execute(this, at);
                    changedJourneys |= work is PublishWork or ControlWork;
                }
                _queuedSinceSignal |= _output.MessagesQueued > 0;
                _output.Flush();
                scope.Commit();
            }
            catch
            {
                _runtime.ForgetCaches();
                _output.Discard();
                if (changedJourneys)
                {
                    ReloadDefinitions();
                }
                throw;
            }
        }
        if (changedJourneys)
        {
            Journeys = _catalog.All();
        }
        foreach (var work in batch)
        {
            work.Complete();
        }
        MessagesQueuedIfAny();
    }

    private bool _queuedSinceSignal;

    private void MessagesQueuedIfAny()
    {
        if (_queuedSinceSignal)
        {
            _queuedSinceSignal = false;
            MessagesQueued?.Invoke();
        }
    }

    /// <summary>
    /// Publishes the folder's journeys, validated together with its segments in one load (as
    /// <c>journeys validate</c> does); a file with problems is logged and left out.
    /// </summary>
    private void PublishFolder(DefinitionSources sources, DateTimeOffset now)
    {
        var loaded = DefinitionLoader.Load([.. sources.Segments, .. sources.Journeys]);
        foreach (var problem in loaded.Problems)
        {
            _log.LogWarning("Definition not published: {Problem}", problem.ToString());
        }
        var broken = loaded.Problems.Select(p => p.File).ToHashSet(StringComparer.Ordinal);
        foreach (var (file, json) in sources.Journeys)
        {
            if (broken.Contains(file) || DefinitionReader.ReadJourney(file, json).Definition is not { } journey)
            {
                continue;
            }
            var (version, created) = _catalog.Publish(journey.Id, json, now);
            if (created)
            {
                _log.LogInformation("Published journey {Journey} version {Version} from {File}", journey.Id, version, file);
            }
        }
    }

    private void ReloadDefinitions()
    {
        var journeys = _catalog.All();
        var (set, _) = _served.Build(journeys, _catalog.VersionKeys(), _catalog.Definition);
        _runtime.Use(set);
        ApplyStatuses(journeys);
    }

    /// <summary>Paused and stopped journeys take no entries; the runtime keeps that in memory only.</summary>
    private void ApplyStatuses(IReadOnlyList<PublishedJourney> journeys)
    {
        foreach (var journey in journeys)
        {
            if (journey.Status == JourneyStatus.Active) _runtime.Resume(journey.JourneyId);
            else _runtime.Pause(journey.JourneyId);
        }
    }

    private static void Fail(List<Work> batch, Exception e)
    {
        foreach (var work in batch)
        {
            work.Fail(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _sqlite.Dispose();
        _stopping.Dispose();
    }

    // ------------------------------------------------------------------ work items

    private abstract class Work
    {
        public virtual int Size => 1;

        public abstract void Execute(EngineHost host, DateTimeOffset at);

        public abstract void Complete();

        public abstract void Fail(Exception e);
    }

    private abstract class Work<T> : Work
    {
        private T? _value;

        public TaskCompletionSource<T> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected void Set(T value) => _value = value;

        public override void Complete() => Result.TrySetResult(_value!);

        public override void Fail(Exception e) => Result.TrySetException(e);
    }

    private sealed class IngestWork(IReadOnlyList<CustomerEvent> events) : Work<IngestCounts>
    {
        public override int Size => Math.Max(1, events.Count);

        public override void Execute(EngineHost host, DateTimeOffset at)
        {
            var accepted = 0;
            var duplicates = 0;
            foreach (var e in events)
            {
                if (host._runtime.Ingest(e, at) == IngestOutcome.Accepted) accepted++;
                else duplicates++;
            }
            Set(new IngestCounts(accepted, duplicates));
        }
    }

    private sealed class RejectedWork(IReadOnlyList<RejectedCall> rejected) : Work<bool>
    {
        public override int Size => Math.Max(1, rejected.Count);

        public override void Execute(EngineHost host, DateTimeOffset at)
        {
            foreach (var call in rejected)
            {
                host._rejected.Keep(at, call.Source, call.Reason, call.Body, call.Truncated);
            }
            host._rejected.Trim();
            host._log.LogInformation("Kept {Count} rejected calls from {Source}", rejected.Count, rejected[0].Source);
            Set(true);
        }
    }

    private sealed class OutboxWork(Action<SqliteOutbox> write) : Work<bool>
    {
        public override void Execute(EngineHost host, DateTimeOffset at)
        {
            write(host._outboxMarks);
            Set(true);
        }
    }

    private sealed class PublishWork(string journeyId, string json) : Work<PublishOutcome>
    {
        public override void Execute(EngineHost host, DateTimeOffset at)
        {
            var problems = host._served.Check(journeyId, json);
            if (problems.Count > 0)
            {
                Set(new PublishOutcome(null, false, problems));
                return;
            }
            var (version, created) = host._catalog.Publish(journeyId, json, at);
            if (created)
            {
                host.ReloadDefinitions();
                host._log.LogInformation("Published journey {Journey} version {Version}", journeyId, version);
            }
            Set(new PublishOutcome(version, created, []));
        }
    }

    private sealed class ControlWork(string journeyId, string status) : Work<bool>
    {
        public override void Execute(EngineHost host, DateTimeOffset at)
        {
            var journey = host._catalog.All().FirstOrDefault(j => j.JourneyId == journeyId);
            if (journey is null)
            {
                Set(false);
                return;
            }
            switch (status)
            {
                case JourneyStatus.Active:
                    host._runtime.Resume(journeyId);
                    host._queuedSinceSignal = true; // held messages may go now
                    break;
                case JourneyStatus.Paused:
                    host._runtime.Pause(journeyId);
                    break;
                case JourneyStatus.Stopped:
                    host._runtime.Pause(journeyId);
                    host._runtime.Stop(journeyId, at);
                    if (journey.Status == JourneyStatus.Paused)
                    {
                        host._output.CancelPending(journeyId); // held messages of a stopped journey never go
                    }
                    break;
            }
            host._catalog.SetStatus(journeyId, status);
            host._log.LogInformation("Journey {Journey} is now {Status}", journeyId, status);
            Set(true);
        }
    }
}
