using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Experiments;

/// <summary>A runtime over in-memory stores whose counts across users the test can read, recording everything it reports.</summary>
public sealed class ExperimentKit : IRuntimeOutput
{
    private int _messageNo;

    public ExperimentKit(IEnumerable<string> journeys, EngineOptions? options = null)
    {
        Runtime = new JourneyRuntime(Defs.Compile(journeys), InMemoryStores.Create() with { Counters = Counters }, this, options);
    }

    public InMemoryJourneyCounters Counters { get; } = new();

    public JourneyRuntime Runtime { get; }

    public List<TraceRecord> Trace { get; } = [];

    public List<SendMessage> Sends { get; } = [];

    public Dictionary<string, long> Counted { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> Edges { get; } = new(StringComparer.Ordinal);

    void IRuntimeOutput.Trace(TraceRecord record) => Trace.Add(record);

    void IRuntimeOutput.Send(SendMessage message) => Sends.Add(message);

    void IRuntimeOutput.Counted(string journeyId, string metric) => Counted[metric] = Counted.GetValueOrDefault(metric) + 1;

    void IRuntimeOutput.Edge(EdgeTaken edge) => Edges[$"{edge.From}>{edge.To}"] = Edges.GetValueOrDefault($"{edge.From}>{edge.To}") + 1;

    public void Identify(string user, DateTimeOffset at, object traits) => Ingest(Events.Identify(Next(), user, at, traits));

    public void Track(string user, string @event, DateTimeOffset at, object? properties = null) => Ingest(Events.Track(Next(), user, @event, at, properties));

    /// <summary>A user with an e-mail address and SMS consent.</summary>
    public void Person(string user, DateTimeOffset at) =>
        Identify(user, at, new { email = $"{user}@example.com", phone = "+15550100", consent = new { sms = true } });

    public void Drain() => Runtime.AdvanceTo(Runtime.Now.AddDays(60));

    public IEnumerable<TraceRecord> Of(string kind) => Trace.Where(r => r.Kind == kind);

    /// <summary>The path each user took at <paramref name="step"/>, the last one when several.</summary>
    public Dictionary<string, string> PathOf(string step) =>
        Of(TraceKind.Path).Where(r => r.Step == step).GroupBy(r => r.User).ToDictionary(g => g.Key, g => g.Last().Path!, StringComparer.Ordinal);

    private void Ingest(string json)
    {
        var parsed = EventParser.Parse(json);
        Assert.True(parsed.Event is not null, parsed.Error);
        Runtime.Ingest(parsed.Event!, parsed.Event!.Timestamp);
    }

    private string Next() => $"m-{++_messageNo}";
}
