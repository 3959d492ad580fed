using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Hosting.Stats;
using Microsoft.Data.Sqlite;

namespace Journeys.Local.Storage;

/// <summary>
/// Where the server's runtime reports: trace records, outbox rows and statistics counters, written
/// into the open transaction with the state change that caused them, so a step and its effects
/// commit or vanish together. The dispatcher delivers the outbox rows after the commit.
/// </summary>
public sealed class SqliteRuntimeOutput : IRuntimeOutput
{
    private readonly SqliteDatabase _database;
    private readonly SqliteCommand _trace;
    private readonly SqliteCommand _outbox;
    private readonly SqliteCommand _count;
    private readonly SqliteCommand _cancel;
    // counters are summed per transaction and written once each at the end (see Flush)
    private readonly Dictionary<(string Journey, string Metric), long> _counts = [];

    private readonly GlobalControl? _holdout;

    /// <param name="holdout">The global control group in force: its entries and conversions are counted apart.</param>
    public SqliteRuntimeOutput(SqliteDatabase database, GlobalControl? holdout = null)
    {
        _database = database;
        _holdout = holdout;
        _trace = database.Prepare(
            "INSERT INTO trace (at, user_id, journey_id, record) VALUES ($at, $user, $journey, $record)", "$at", "$user", "$journey", "$record");
        // the idempotency key is unique: a step re-run after a crash cannot queue its message twice
        _outbox = database.Prepare(
            """
            INSERT INTO outbox (idempotency_key, journey_id, channel, line, created_at) VALUES ($key, $journey, $channel, $line, $at)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            "$key", "$journey", "$channel", "$line", "$at");
        _cancel = database.Prepare("UPDATE outbox SET status = 3 WHERE journey_id = $journey AND status = 0", "$journey");
        _count = database.Prepare(
            """
            INSERT INTO stats (journey_id, metric, count) VALUES ($journey, $metric, $n)
            ON CONFLICT (journey_id, metric) DO UPDATE SET count = count + excluded.count
            """,
            "$journey", "$metric", "$n");
    }

    /// <summary>Cancels the journey's undelivered messages (a paused journey being stopped: what it held never goes).</summary>
    public void CancelPending(string journeyId)
    {
        _cancel.Parameters[0].Value = journeyId;
        _database.Ready(_cancel).ExecuteNonQuery();
    }

    /// <summary>Outbox rows written since the last <see cref="Flush"/> (the dispatcher is woken when there are any).</summary>
    public int MessagesQueued { get; private set; }

    public void Trace(TraceRecord record)
    {
        _trace.Parameters[0].Value = SqliteTime.ToColumn(record.At);
        _trace.Parameters[1].Value = record.User;
        _trace.Parameters[2].Value = record.Journey;
        _trace.Parameters[3].Value = record.ToJson();
        _database.Ready(_trace).ExecuteNonQuery();
        foreach (var metric in StatsMetrics.Of(record, _holdout))
        {
            Count(record.Journey, metric);
        }
    }

    public void Send(SendMessage message)
    {
        _outbox.Parameters[0].Value = message.IdempotencyKey;
        _outbox.Parameters[1].Value = message.JourneyId;
        _outbox.Parameters[2].Value = SendPlanner.Name(message.Channel);
        _outbox.Parameters[3].Value = OutboxLineWriter.Format(message);
        _outbox.Parameters[4].Value = SqliteTime.ToColumn(message.At);
        MessagesQueued += _database.Ready(_outbox).ExecuteNonQuery();
    }

    public void Advanced(EnrollmentState before, EnrollmentState after)
    {
        foreach (var metric in StatsMetrics.Of(before, after))
        {
            Count(after.JourneyId, metric);
        }
    }

    public void Edge(EdgeTaken edge) => Count(edge.JourneyId, StatsMetrics.Of(edge));

    public void Reached(StepReached step) => Count(step.JourneyId, StatsMetrics.Of(step));

    public void Counted(string journeyId, string metric) => Count(journeyId, metric);

    /// <summary>Writes the counters summed since the last flush; call before committing.</summary>
    public void Flush()
    {
        foreach (var ((journey, metric), n) in _counts)
        {
            _count.Parameters[0].Value = journey;
            _count.Parameters[1].Value = metric;
            _count.Parameters[2].Value = n;
            _database.Ready(_count).ExecuteNonQuery();
        }
        _counts.Clear();
        MessagesQueued = 0;
    }

    /// <summary>Forgets what was not flushed (the transaction rolled back).</summary>
    public void Discard()
    {
        _counts.Clear();
        MessagesQueued = 0;
    }

    private void Count(string journey, string metric) =>
        _counts[(journey, metric)] = _counts.GetValueOrDefault((journey, metric)) + 1;
}
