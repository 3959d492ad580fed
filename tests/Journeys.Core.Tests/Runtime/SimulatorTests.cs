using System.Text;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Runtime;

/// <summary><c>journeys simulate</c> semantics (DESIGN §6) through <see cref="Simulator"/>.</summary>
public sealed class SimulatorTests
{
    private sealed record Run(List<TraceRecord> Trace, string Errors, SimulationResult Result, List<SendMessage> Sends)
    {
        public IEnumerable<string> Lines => Trace.Select(TraceText.Line);

        /// <summary>The trace as the CLI prints it: one JSON object per line.</summary>
        public string Json => string.Concat(Trace.Select(r => r.ToJson() + "\n"));
    }

    private static Run Simulate(DefinitionSet definitions, string events, SimulationOptions? options = null)
    {
        var trace = new List<TraceRecord>();
        var sends = new List<SendMessage>();
        var errors = new StringWriter();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(events));
        var result = new Simulator(definitions, options).Run(stream, "events.jsonl", trace.Add, errors, sends.Add);
        return new Run(trace, errors.ToString(), result, sends);
    }

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static string T(string id, string user, string @event, string at, object? props = null) => Events.Track(id, user, @event, Times.At(at), props);

    private static string I(string id, string user, string at, object traits) => Events.Identify(id, user, Times.At(at), traits);

    private const string TwoHourNudge = """
        {"id":"j","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"d","steps":{
          "d":{"type":"delay","for":"PT2H","next":"m"},
          "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
        """;

    [Fact]
    public void The_same_input_twice_gives_a_byte_identical_trace()
    {
        var journeys = new[]
        {
            """
            {"id":"ab","entry":{"event":"Go"},"reentry":{"mode":"multiple","cap":{"count":3,"within":"P7D"}},
             "goal":{"event":"Buy","exit":false},"exit":{"events":[{"event":"Quit"}],"maxDuration":"P5D"},"start":"sp","steps":{
              "sp":{"type":"split","paths":[{"name":"A","percent":30,"next":"e"},{"name":"B","percent":70,"next":"w"}]},
              "e":{"type":"send","channel":"preferred","content":{"email":{"subject":"S","body":"B"},"sms":{"text":"T"}},"next":"w"},
              "w":{"type":"waitFor","event":"Click","timeout":"PT6H","onEvent":"b","onTimeout":"d"},
              "d":{"type":"delay","until":"09:00","next":"b"},
              "b":{"type":"branch","paths":[{"name":"gold","when":{"trait":"tier","eq":"gold"},"next":"u"}],"otherwise":"x"},
              "u":{"type":"update","traits":{"tier":"platinum"},"next":"x"},
              "x":{"type":"send","channel":"sms","content":{"text":"Bye"}}}}
            """,
            """
            {"id":"gold","entry":{"segment":"gold"},"start":"m","steps":{
              "m":{"type":"send","channel":"email","content":{"subject":"S","body":"B"}}}}
            """,
        };
        var definitions = Defs.Compile(journeys, [Defs.TraitSegment("gold", "tier", "gold")]);
        var events = new StringBuilder();
        var random = new Random(1234);
        var at = Times.At("00:00");
        string[] names = ["Go", "Click", "Buy", "Quit", "Go", "Go"];
        for (var i = 0; i < 400; i++)
        {
            at = at.AddMinutes(random.Next(0, 90));
            var user = $"u{random.Next(0, 25)}";
            if (random.Next(0, 6) == 0)
            {
                object traits = random.Next(0, 2) == 0
                    ? new { email = $"{user}@example.com", tier = "gold", timezone = "America/New_York" }
                    : new { phone = "+1555", tier = "silver", consent = new { sms = true }, timezone = "Asia/Tokyo" };
                events.Append(Events.Identify($"m{i}", user, at, traits)).Append('\n');
            }
            else
            {
                events.Append(Events.Track($"m{i}", user, names[random.Next(names.Length)], at)).Append('\n');
            }
            if (i % 50 == 0)
            {
                events.Append(Events.Track($"m{i - 1}", user, "Go", at)).Append('\n'); // a duplicate messageId
            }
        }

        var first = Simulate(definitions, events.ToString());
        var second = Simulate(Defs.Compile(journeys, [Defs.TraitSegment("gold", "tier", "gold")]), events.ToString());
        Assert.True(first.Trace.Count > 200, $"the input should exercise the journeys ({first.Trace.Count} records)");
        Assert.Equal(first.Json, second.Json);
        Assert.Equal(first.Sends.Select(m => m.IdempotencyKey), second.Sends.Select(m => m.IdempotencyKey));
        Assert.Equal(first.Result, second.Result with { Summary = first.Result.Summary });
    }

    [Fact]
    public void Trace_json_lines_have_the_contract_fields()
    {
        var run = Simulate(Defs.Compile([TwoHourNudge]), Lines(T("m1", "u1", "Go", "10:00")));
        Assert.Equal(
            """
            {"at":"2026-12-01T10:00:00Z","user":"u1","journey":"j","kind":"entered"}
            {"at":"2026-12-01T12:00:00Z","user":"u1","journey":"j","kind":"sent","step":"m","channel":"webhook"}
            {"at":"2026-12-01T12:00:00Z","user":"u1","journey":"j","kind":"completed"}

            """.ReplaceLineEndings("\n"), run.Json);
    }

    [Fact]
    public void After_the_last_event_timers_drain()
    {
        var run = Simulate(Defs.Compile([TwoHourNudge]), Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u2", "Go", "10:30")));
        Assert.Equal(
            ["10:00 u1 j entered", "10:30 u2 j entered", "12:00 u1 j sent m webhook", "12:00 u1 j completed", "12:30 u2 j sent m webhook", "12:30 u2 j completed"],
            run.Lines);
    }

    [Fact]
    public void Until_stops_timers_and_skips_later_events()
    {
        var events = Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u2", "Go", "11:00"), T("m3", "u3", "Go", "13:00"));
        var run = Simulate(Defs.Compile([TwoHourNudge]), events, new SimulationOptions { Until = Times.At("12:00") });
        // u1's timer is due at 12:00, at (not after) --until: it fires; u2's at 13:00 does not; u3's event is after --until
        Assert.Equal(["10:00 u1 j entered", "11:00 u2 j entered", "12:00 u1 j sent m webhook", "12:00 u1 j completed"], run.Lines);
        Assert.Equal(1, run.Result.SkippedAfterUntil);
    }

    [Fact]
    public void Bad_event_lines_are_reported_with_line_numbers_and_skipped_while_valid_ones_go_on()
    {
        var events = string.Join("\n",
            T("m1", "u1", "Go", "10:00"),                                               // 1
            "this is not json",                                                          // 2
            """{"type":"track","messageId":"m3","event":"Go","timestamp":"2026-12-01T10:05:00Z"}""", // 3: no userId
            "",                                                                          // 4: blank
            """{"type":"track","messageId":"m5","userId":"u5","event":"Go","timestamp":"2026-12-01 10:06"}""", // 5: no offset
            """{"type":"identify","messageId":"m6","userId":"u6","traits":[1],"timestamp":"2026-12-01T10:06:00Z"}""", // 6: traits not an object
            """{"type":"pageview","messageId":"m7","userId":"u7","timestamp":"2026-12-01T10:07:00Z"}""", // 7: unknown type (page is a Segment call now)
            """{"type":"track","messageId":"m8","userId":"u8","timestamp":"2026-12-01T10:08:00Z"}""", // 8: no event
            T("m9", "u9", "Go", "10:09"));                                              // 9
        var run = Simulate(Defs.Compile([TwoHourNudge]), events);

        var errorLines = run.Errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, errorLines.Length);
        Assert.Equal(["2", "3", "5", "6", "7", "8"], errorLines.Select(l => l.Split(':')[1]));
        Assert.All(errorLines, l => Assert.StartsWith("events.jsonl:", l));
        Assert.Equal(6, run.Result.Rejected);
        Assert.Equal(2, run.Result.Events);
        Assert.Equal(["u1", "u9"], run.Trace.Where(r => r.Kind == "entered").Select(r => r.User));
        Assert.Equal(2, run.Trace.Count(r => r.Kind == "sent"));
    }

    [Fact]
    public void Timers_due_at_or_before_an_event_happen_before_it()
    {
        var definitions = Defs.Compile(["""
            {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","for":"PT1H","next":"w"},
              "w":{"type":"waitFor","event":"Click","timeout":"PT1H","onEvent":"yes","onTimeout":"no"},
              "yes":{"type":"send","channel":"webhook","content":{"url":"https://h.example/yes"}},
              "no":{"type":"send","channel":"webhook","content":{"url":"https://h.example/no"}}}}
            """]);
        // the delay ends at 11:00 exactly when Click arrives: the wait begins first, so Click counts
        var run = Simulate(definitions, Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u1", "Click", "11:00")));
        Assert.Equal(["10:00 u1 j entered", "11:00 u1 j path w event", "11:00 u1 j sent yes webhook", "11:00 u1 j completed"], run.Lines);

        // a timer due before an event is recorded before the event's own records
        var run2 = Simulate(Defs.Compile([TwoHourNudge]), Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u2", "Go", "13:00")));
        Assert.Equal(["10:00 u1 j entered", "12:00 u1 j sent m webhook", "12:00 u1 j completed", "13:00 u2 j entered", "15:00 u2 j sent m webhook", "15:00 u2 j completed"], run2.Lines);
    }

    [Fact]
    public void A_timeout_due_exactly_at_an_events_time_fires_first()
    {
        var definitions = Defs.Compile(["""
            {"id":"j","entry":{"event":"Go"},"start":"w","steps":{
              "w":{"type":"waitFor","event":"Click","timeout":"PT1H","onEvent":"yes","onTimeout":"no"},
              "yes":{"type":"send","channel":"webhook","content":{"url":"https://h.example/yes"}},
              "no":{"type":"send","channel":"webhook","content":{"url":"https://h.example/no"}}}}
            """]);
        var run = Simulate(definitions, Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u1", "Click", "11:00")));
        Assert.Equal(["10:00 u1 j entered", "11:00 u1 j path w timeout", "11:00 u1 j sent no webhook", "11:00 u1 j completed"], run.Lines);
    }

    [Fact]
    public void Scheduled_runs_happen_up_to_the_last_event_without_until()
    {
        var definitions = Defs.Compile(["""
            {"id":"j","entry":{"schedule":{"at":"2026-12-01T00:00:00Z","every":"PT1H"}},"reentry":{"mode":"multiple"},"start":"m","steps":{
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example"}}}}
            """]);
        var run = Simulate(definitions, Lines(I("m1", "u1", "2026-11-30T23:00:00Z", new { a = 1 }), T("m2", "u1", "Ping", "03:30")));
        Assert.Equal(["00:00", "01:00", "02:00", "03:00"], run.Trace.Where(r => r.Kind == "entered").Select(r => Times.Format(r.At)));

        var until = Simulate(definitions, Lines(I("m1", "u1", "2026-11-30T23:00:00Z", new { a = 1 }), T("m2", "u1", "Ping", "03:30")),
            new SimulationOptions { Until = Times.At("05:00") });
        Assert.Equal(["00:00", "01:00", "02:00", "03:00", "04:00", "05:00"], until.Trace.Where(r => r.Kind == "entered").Select(r => Times.Format(r.At)));
    }

    [Fact]
    public void Duplicates_are_counted_and_ignored()
    {
        var run = Simulate(Defs.Compile([TwoHourNudge]), Lines(T("m1", "u1", "Go", "10:00"), T("m1", "u1", "Go", "10:10"), T("m2", "u1", "Go", "13:00")));
        Assert.Equal(1, run.Result.Duplicates);
        Assert.Equal(2, run.Result.Events);
        Assert.Equal(["10:00", "13:00"], run.Trace.Where(r => r.Kind == "entered").Select(r => Times.Format(r.At)));
    }

    [Fact]
    public void Summary_counts_records_per_journey()
    {
        var run = Simulate(Defs.Compile([TwoHourNudge]), Lines(T("m1", "u1", "Go", "10:00"), T("m2", "u1", "Go", "10:10"), T("m3", "u2", "Go", "10:20")));
        var summary = run.Result.Summary;
        Assert.Equal(2, summary.Count("j", TraceKind.Entered));
        Assert.Equal(1, summary.Count("j", TraceKind.Rejected));
        Assert.Equal(2, summary.Count("j", TraceKind.Sent));
        Assert.Equal(2, summary.Count("j", TraceKind.Completed));
    }
}
