using Journeys.Local.Storage;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Server.Delivery;

/// <summary>
/// Delivers the outbox: pending messages oldest first (held while their journey is paused), each
/// through its channel's provider, then one transaction marks the batch (delivered, retry at, or
/// failed). Reads on its own SQLite connection; its marks are written by the engine loop, the one
/// writer. Woken by the engine after a commit that queued messages, else when a retry is due.
/// </summary>
public sealed class OutboxDispatcher : IAsyncDisposable
{
    private const int BatchSize = 500;
    private static readonly TimeSpan IdleWait = TimeSpan.FromSeconds(1);

    private readonly SqliteDatabase _database;
    private readonly SqliteOutbox _outbox;
    private readonly IReadOnlyDictionary<string, IChannelProvider> _byChannel;
    private readonly IReadOnlyList<IChannelProvider> _providers;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Func<Action<SqliteOutbox>, CancellationToken, Task> _commit;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<OutboxMessage, OutboxMessage> _prepare;
    private Task? _loop;

    /// <param name="byChannel">Provider per channel name (email, sms, push, webhook).</param>
    /// <param name="commit">Runs the marks of a delivered batch in a write transaction (the engine loop's: see <see cref="EngineHost.WriteOutboxAsync"/>).</param>
    /// <param name="prepare">The message as a provider gets it (built-in tracking: <see cref="TrackedOutboxLine"/>); none: as queued.</param>
    public OutboxDispatcher(string databasePath, IReadOnlyDictionary<string, IChannelProvider> byChannel,
        Func<Action<SqliteOutbox>, CancellationToken, Task> commit, TimeProvider time, ILogger<OutboxDispatcher> log,
        Func<OutboxMessage, OutboxMessage>? prepare = null)
    {
        _commit = commit;
        _prepare = prepare ?? (m => m);
        _database = SqliteDatabase.Open(databasePath);
        _outbox = new SqliteOutbox(_database);
        _byChannel = byChannel;
        _providers = byChannel.Values.Distinct().ToList();
        _time = time;
        _log = log;
        using var scope = _database.BeginTransaction();
        foreach (var provider in _providers)
        {
            provider.Recover(_outbox, time.GetUtcNow());
        }
        scope.Commit();
    }

    public void Start() => _loop = Task.Run(() => LoopAsync(_stopping.Token));

    /// <summary>Something was queued: look now rather than at the next idle tick.</summary>
    public void Wake()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    private async Task LoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (!await DeliverDueAsync(stopping).ConfigureAwait(false))
                {
                    await WaitForSignalAsync(NextWait(), stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _log.LogError(e, "Outbox dispatch failed; retrying");
                await Task.Delay(IdleWait, _time, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task WaitForSignalAsync(TimeSpan wait, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var signalled = _signal.WaitAsync(done.Token);
        await Task.WhenAny(signalled, Task.Delay(wait, _time, done.Token)).ConfigureAwait(false);
        await done.CancelAsync().ConfigureAwait(false);
        stopping.ThrowIfCancellationRequested();
    }

    private TimeSpan NextWait()
    {
        if (_outbox.NextAttempt() is { } next)
        {
            var wait = next - _time.GetUtcNow();
            return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : wait < IdleWait ? wait : IdleWait;
        }
        return IdleWait;
    }

    /// <summary>One batch; false when nothing was due.</summary>
    private async Task<bool> DeliverDueAsync(CancellationToken stopping)
    {
        var due = _outbox.Due(_time.GetUtcNow(), BatchSize).Select(_prepare).ToList();
        if (due.Count == 0)
        {
            return false;
        }
        var results = new List<(OutboxMessage Message, DeliveryResult Result)>(due.Count);
        var used = new HashSet<IChannelProvider>();
        // consecutive messages of one provider go together, so the file keeps the outbox's order
        for (var start = 0; start < due.Count;)
        {
            var provider = ProviderOf(due[start]);
            var end = start + 1;
            while (end < due.Count && ProviderOf(due[end]) == provider) end++;
            var run = due.Skip(start).Take(end - start).ToList();
            IReadOnlyList<DeliveryResult> outcome;
            try
            {
                outcome = await provider.DeliverAsync(run, stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _log.LogWarning(e, "Provider {Provider} failed a batch of {Count}", provider.Name, run.Count);
                outcome = run.Select(_ => (DeliveryResult)new DeliveryResult.Retry(IdleWait, e.GetType().Name)).ToList();
            }
            used.Add(provider);
            for (var i = 0; i < run.Count; i++) results.Add((run[i], outcome[i]));
            start = end;
        }
        var now = _time.GetUtcNow();
        await _commit(outbox =>
        {
            foreach (var (message, result) in results)
            {
                switch (result)
                {
                    case DeliveryResult.Delivered:
                        outbox.MarkDelivered(message.Seq, now);
                        break;
                    case DeliveryResult.Retry retry:
                        outbox.MarkRetry(message.Seq, now + (retry.After ?? IdleWait), retry.Error);
                        break;
                    case DeliveryResult.Failed failed:
                        outbox.MarkFailed(message.Seq, failed.Error);
                        break;
                }
            }
            foreach (var provider in used)
            {
                provider.Committing(outbox);
            }
        }, stopping).ConfigureAwait(false);
        foreach (var (message, result) in results)
        {
            if (result is DeliveryResult.Failed failed)
            {
                _log.LogWarning("Message for journey {Journey} on {Channel} failed: {Error}", message.JourneyId, message.Channel, failed.Error);
            }
        }
        return true;
    }

    private IChannelProvider ProviderOf(OutboxMessage message) =>
        _byChannel.TryGetValue(message.Channel, out var provider) ? provider : _byChannel["*"];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _database.Dispose();
        _stopping.Dispose();
        _signal.Dispose();
    }
}
