using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Support;

/// <summary>
/// One journey runtime over in-memory stores, fed with Segment-spec events through the real event
/// parser, collecting every trace record and message. Times are <see cref="Times"/> strings.
/// </summary>
public sealed class Scenario : IRuntimeOutput
{
    private int _messageNo;

    public Scenario(DefinitionSet definitions, EngineOptions? options = null)
    {
        Definitions = definitions;
        Stores = InMemoryStores.Create();
        Runtime = new JourneyRuntime(definitions, Stores, this, options);
    }

    public static Scenario Create(string journey, params string[] segments) => new(Defs.Compile([journey], segments));

    public static Scenario Create(IEnumerable<string> journeys, IEnumerable<string>? segments = null, EngineOptions? options = null) =>
        new(Defs.Compile(journeys, segments), options);

    public DefinitionSet Definitions { get; }

    public RuntimeStores Stores { get; }

    public JourneyRuntime Runtime { get; }

    public List<TraceRecord> Trace { get; } = [];

    public List<SendMessage> Sends { get; } = [];

    public IEnumerable<string> Lines => Trace.Select(TraceText.Line);

    void IRuntimeOutput.Trace(TraceRecord record) => Trace.Add(record);

    void IRuntimeOutput.Send(SendMessage message) => Sends.Add(message);

    /// <summary>An identify call; <paramref name="traits"/> as for <see cref="Events.Identify"/>.</summary>
    public IngestOutcome Identify(string user, string at, object traits, string? messageId = null) =>
        Ingest(Events.Identify(messageId ?? NextMessageId(), user, Times.At(at), traits));

    public IngestOutcome Track(string user, string @event, string at, object? properties = null, string? messageId = null) =>
        Ingest(Events.Track(messageId ?? NextMessageId(), user, @event, Times.At(at), properties));

    /// <summary>Parses the line with the production parser (it must be valid) and ingests it at its timestamp.</summary>
    public IngestOutcome Ingest(string eventJson)
    {
        var parsed = EventParser.Parse(eventJson);
        Assert.True(parsed.Event is not null, $"test event must parse: {parsed.Error}\n{eventJson}");
        return Runtime.Ingest(parsed.Event!, parsed.Event!.Timestamp);
    }

    public void AdvanceTo(string at) => Runtime.AdvanceTo(Times.At(at));

    /// <summary>
    /// Lets every pending timer fire, each at its due time, up to 400 days past the latest processed
    /// instant; the clock stays at the last timer, so later events still happen at their own times.
    /// </summary>
    public void Drain()
    {
        var limit = Runtime.Now.AddDays(400);
        while (Stores.Timers.NextDue is { } due && due <= limit)
        {
            Runtime.AdvanceTo(due);
        }
    }

    public void Stop(string journey, string at) => Runtime.Stop(journey, Times.At(at));

    public Profile Profile(string user) => Stores.Profiles.Find(user) ?? global::Journeys.Core.Audience.Profile.Empty(user);

    public void AssertTrace(params string[] expected) => TraceText.Equal(expected, Trace);

    /// <summary>Only records of these kinds, in order.</summary>
    public void AssertTraceOf(string[] kinds, params string[] expected) =>
        TraceText.Equal(expected, Trace.Where(r => kinds.Contains(r.Kind)));

    public SendMessage SingleSend(string? step = null)
    {
        var matching = Sends.Where(m => step is null || m.Step == step).ToList();
        Assert.True(matching.Count == 1, $"expected one message{(step is null ? "" : $" from step {step}")}, got {matching.Count}:\n" + string.Join("\n", Lines));
        return matching[0];
    }

    private string NextMessageId() => $"m-{++_messageNo}";
}
