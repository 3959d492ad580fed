using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Runtime;

/// <summary>Options of one simulation run.</summary>
public sealed record SimulationOptions
{
    /// <summary>Stop here: later events are not replayed, timers and scheduled runs stop. Absent: the last event.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Without <see cref="Until"/>, timers drain at most this long after the last event (a journey may loop forever).</summary>
    public TimeSpan DrainLimit { get; init; } = TimeSpan.FromDays(366);

    public EngineOptions Engine { get; init; } = EngineOptions.Default;

    /// <summary>Also receives everything the runtime reports (a report's counters); none by default.</summary>
    public IRuntimeOutput? Observer { get; init; }
}

/// <summary>An event of a partitioned replay: its line in the log and the time the whole run processes it at.</summary>
public readonly record struct ReplayEvent(long Index, DateTimeOffset At, CustomerEvent Event);

/// <summary>What a simulation did, for the summary.</summary>
public sealed record SimulationResult(long Events, long Duplicates, long Rejected, long SkippedAfterUntil, TraceSummary Summary);

/// <summary>
/// Replays an event log through the definitions on a virtual clock that jumps to each event's
/// timestamp (DESIGN §6 <c>journeys simulate</c>): in-memory stores, the real engine and runtime.
/// </summary>
public sealed class Simulator(DefinitionSet definitions, SimulationOptions? options = null)
{
    private readonly SimulationOptions _options = options ?? new SimulationOptions();

    /// <param name="events">JSON lines.</param>
    /// <param name="sourceName">How to name the events in error lines (<c>file:line: reason</c>).</param>
    /// <param name="trace">Receives every trace record as it happens.</param>
    /// <param name="errors">Receives one line per bad event (skipped, not fatal).</param>
    /// <param name="stores">Where the runtime keeps its state; fresh in-memory replay stores (<see cref="InMemoryStores.ForReplay"/>) when absent.</param>
    public SimulationResult Run(Stream events, string sourceName, Action<TraceRecord> trace, TextWriter errors, Action<SendMessage>? send = null, RuntimeStores? stores = null)
    {
        var summary = new TraceSummary();
        var output = new Output(r => { summary.Add(r); trace(r); }, send, _options.Observer);
        var runtime = new JourneyRuntime(definitions, stores ?? InMemoryStores.ForReplay(definitions), output, _options.Engine)
        {
            ScheduleHorizon = _options.Until,
        };
        DateTimeOffset? last = null;
        var counts = Read(events, sourceName, errors, e =>
        {
            if (runtime.Ingest(e, e.Timestamp) == IngestOutcome.Duplicate)
            {
                return false;
            }
            last = runtime.Now;
            return true;
        });
        if (_options.Until is { } end)
        {
            runtime.AdvanceTo(end);
        }
        else if (last is { } lastEvent)
        {
            runtime.ScheduleHorizon = lastEvent;
            runtime.AdvanceTo(lastEvent + _options.DrainLimit);
        }
        return new SimulationResult(counts.Accepted, counts.Duplicates, counts.Rejected, counts.Skipped, summary);
    }

    /// <summary>
    /// The first half of a partitioned replay: reads the log as <see cref="Run"/> does (the same error lines,
    /// duplicates, <c>--until</c>) without running it, and hands each accepted event to <paramref name="accept"/> with
    /// the time the single run processes it at (the clock never runs backwards) and its line's bytes.
    /// </summary>
    /// <param name="last">The last accepted event's processing time: the partitions drain from there.</param>
    /// <exception cref="NotSupportedException">An event merges an anonymous profile into another user's: users are not independent.</exception>
    /// <exception cref="NotSupportedException">The definitions or settings share state between users (<see cref="SharedStateBetweenUsers"/>).</exception>
    public (long Accepted, long Duplicates, long Rejected, long Skipped) Split(Stream events, string sourceName, TextWriter errors, Action<ReplayEvent, ReadOnlyMemory<byte>> accept, out DateTimeOffset? last)
    {
        if (SharedStateBetweenUsers() is { } shared)
        {
            throw new NotSupportedException($"{shared}, so users cannot be replayed apart; replay without partitions");
        }
        var seen = new CompactStringSet();
        DateTimeOffset? now = null;
        var counts = Read(events, sourceName, errors, (e, index, line) =>
        {
            if (e.AnonymousId is not null)
            {
                throw new NotSupportedException($"{sourceName}:{index}: the event merges anonymous id '{e.AnonymousId}' into user '{e.UserId}', so users cannot be replayed apart; replay without partitions");
            }
            if (!seen.Add(e.MessageId))
            {
                return false;
            }
            if (now is not { } current || e.Timestamp > current)
            {
                now = e.Timestamp;
            }
            accept(new ReplayEvent(index, now.Value, e), line);
            return true;
        });
        last = now;
        return counts;
    }

    private (long Accepted, long Duplicates, long Rejected, long Skipped) Read(Stream events, string sourceName, TextWriter errors, Func<CustomerEvent, bool> ingest) =>
        Read(events, sourceName, errors, (e, _, _) => ingest(e));

    /// <summary>The log's lines, parsed; <paramref name="ingest"/> (event, line number, line) says whether an event was new.</summary>
    private (long Accepted, long Duplicates, long Rejected, long Skipped) Read(Stream events, string sourceName, TextWriter errors, Func<CustomerEvent, long, ReadOnlyMemory<byte>, bool> ingest)
    {
        var reader = new JsonLinesReader(events);
        long accepted = 0, duplicates = 0, rejected = 0, skipped = 0;
        while (reader.TryReadLine(out var line, out var tooLong))
        {
            if (tooLong)
            {
                errors.WriteLine($"{sourceName}:{reader.LineNumber}: line is longer than the limit; skipped");
                rejected++;
                continue;
            }
            var parsed = EventParser.Parse(line.Span);
            if (parsed.Event is not { } e)
            {
                errors.WriteLine($"{sourceName}:{reader.LineNumber}: {parsed.Error}{(parsed.MessageId is null ? "" : $" (messageId {parsed.MessageId})")}; skipped");
                rejected++;
                continue;
            }
            if (_options.Until is { } until && e.Timestamp > until)
            {
                skipped++;
                continue;
            }
            if (ingest(e, reader.LineNumber, line))
            {
                accepted++;
            }
            else
            {
                duplicates++;
            }
        }
        return (accepted, duplicates, rejected, skipped);
    }

    /// <summary>
    /// Runs one partition of a replay split by user (<see cref="ReplayOrder"/>): the partition's events, already
    /// parsed, deduplicated and stamped with the time the whole run would process them at; the end of the whole run
    /// (<see cref="SimulationOptions.Until"/>, else <paramref name="lastEvent"/>, the whole log's last accepted event, asked for
    /// once the events are all taken: the log may still be being read while they arrive).
    /// Every record and message comes with its key in the whole run's order.
    /// </summary>
    /// <exception cref="InvalidOperationException">The partition cannot reproduce the single run's order (<see cref="ReplayOrder.Unreproducible"/>).</exception>
    public TraceSummary RunPartition(IEnumerable<ReplayEvent> events, Func<DateTimeOffset?> lastEvent, Action<byte[], TraceRecord> trace, Action<byte[], SendMessage>? send = null)
    {
        var summary = new TraceSummary();
        RuntimeStores? stores = null;
        var order = new ReplayOrder(id => stores!.Enrollments.Get(id)?.UserId);
        // the split removed repeated messageIds already, and refused anonymous merges (the other dedupe keys)
        stores = InMemoryStores.ForReplay(definitions) with { Timers = order, Dedupe = new SplitDeduplicated() };
        var output = new Output(
            r => { summary.Add(r); trace(order.Next(r.User), r); },
            send is null ? null : m => send(order.Next(m.UserId), m),
            observer: null); // a report observes one run; partitions run at once (the CLI refuses --report with them)
        var runtime = new JourneyRuntime(definitions, stores, output, _options.Engine)
        {
            ScheduleHorizon = _options.Until,
        };
        foreach (var e in events)
        {
            // the timers due first are steps of their own: the event's key applies from its own processing on
            runtime.AdvanceTo(e.At);
            Check(order);
            order.BeginEvent(e.At, e.Index);
            runtime.Ingest(e.Event, e.At);
            Check(order);
        }
        if (_options.Until is { } end)
        {
            runtime.AdvanceTo(end);
        }
        else if (lastEvent() is { } last)
        {
            runtime.ScheduleHorizon = last;
            runtime.AdvanceTo(last + _options.DrainLimit);
        }
        Check(order);
        return summary;
    }

    /// <summary>
    /// What makes one user's run depend on the others' (DESIGN §10): entry limits count every user's entries, rate
    /// limits space every user's sends, an experiment's winner is chosen from every user's counts. Null when none is used.
    /// </summary>
    public string? SharedStateBetweenUsers()
    {
        if (_options.Engine.RateLimits.Count > 0)
        {
            return "the settings set rateLimits (sends are spaced across users)";
        }
        foreach (var journey in definitions.Journeys)
        {
            if (journey.Definition.Limits is not null)
            {
                return $"journey '{journey.Id}' has limits (entries are counted across users)";
            }
            if (journey.Definition.Steps.Values.OfType<SplitStep>().Any(s => s.Experiment?.Winner is not null))
            {
                return $"journey '{journey.Id}' has an experiment that picks a winner (from every user's counts)";
            }
        }
        return null;
    }

    private static void Check(ReplayOrder order)
    {
        if (order.Unreproducible is { } reason)
        {
            throw new InvalidOperationException($"a partitioned replay cannot reproduce the single run's order here ({reason}); replay without partitions");
        }
    }

    private sealed class SplitDeduplicated : IDedupeStore
    {
        public bool TryAdd(string messageId) => true;
    }

    private sealed class Output(Action<TraceRecord> trace, Action<SendMessage>? send, IRuntimeOutput? observer) : IRuntimeOutput
    {
        public void Trace(TraceRecord record)
        {
            trace(record);
            observer?.Trace(record);
        }

        public void Send(SendMessage message) => send?.Invoke(message);

        public void Advanced(EnrollmentState before, EnrollmentState after) => observer?.Advanced(before, after);

        public void Edge(EdgeTaken edge) => observer?.Edge(edge);

        public void Reached(StepReached step) => observer?.Reached(step);

        public void Counted(string journeyId, string metric) => observer?.Counted(journeyId, metric);
    }
}
