using Journeys.Core.Audience;
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
    /// <param name="stores">Where the runtime keeps its state; fresh in-memory stores when absent.</param>
    public SimulationResult Run(Stream events, string sourceName, Action<TraceRecord> trace, TextWriter errors, Action<SendMessage>? send = null, RuntimeStores? stores = null)
    {
        var summary = new TraceSummary();
        var output = new Output(r => { summary.Add(r); trace(r); }, send, _options.Observer);
        var runtime = new JourneyRuntime(definitions, stores ?? InMemoryStores.Create(), output, _options.Engine)
        {
            ScheduleHorizon = _options.Until,
        };
        var reader = new JsonLinesReader(events);
        long accepted = 0, duplicates = 0, rejected = 0, skipped = 0;
        DateTimeOffset? last = null;
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
            if (runtime.Ingest(e, e.Timestamp) == IngestOutcome.Duplicate)
            {
                duplicates++;
                continue;
            }
            accepted++;
            last = runtime.Now;
        }
        if (_options.Until is { } end)
        {
            runtime.AdvanceTo(end);
        }
        else if (last is { } lastEvent)
        {
            runtime.ScheduleHorizon = lastEvent;
            runtime.AdvanceTo(lastEvent + _options.DrainLimit);
        }
        return new SimulationResult(accepted, duplicates, rejected, skipped, summary);
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

        public void Counted(string journeyId, string metric) => observer?.Counted(journeyId, metric);
    }
}
