using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Runtime;

/// <summary>
/// Random small journeys (from a fixed menu of step shapes) and random event sequences; invariants of
/// the trace that DESIGN §4-§6 promise whatever the journey: enrollments end, never two at once, at
/// most one send record per send step per visit, every enrollment's records start with entered.
/// </summary>
public sealed class PropertyTests
{
    // ---------------------------------------------------------------- the model of a random case

    private enum Shape { Email, Sms, Preferred, Webhook, DelayFor, DelayUntil, WaitFor, Branch, Split, Update, Exit }

    /// <summary>One step: its shape and two numbers that pick its parameters and its second edge.</summary>
    private sealed record StepSpec(Shape Shape, int A, int B);

    private sealed record JourneySpec(
        string Id, StepSpec[] Steps, bool Loop, int Goal, bool ExitEvent, int Reentry, bool MaxDuration, bool EntryWhere)
    {
        /// <summary>A loop back to the first step, which is then a delay: every loop passes a wait.</summary>
        public bool IsCyclic => Loop && Steps[^1].Shape != Shape.Exit;

        public bool HasMaxDuration => MaxDuration || IsCyclic;

        public string ToJson()
        {
            var n = Steps.Length;
            string? Next(int i) => i + 1 < n ? $"s{i + 1}" : IsCyclic ? "s0" : null;
            // a second edge: forward only (or nowhere), so loops only ever come from Next
            string? Alt(int i, int b)
            {
                var span = n - i;
                var k = b % span;
                return k == 0 ? null : $"s{i + k}";
            }
            static string Field(string name, string? step) => step is null ? "" : $",\"{name}\":\"{step}\"";

            var steps = new List<string>();
            for (var i = 0; i < n; i++)
            {
                var (shape, a, b) = (Steps[i].Shape, Steps[i].A, Steps[i].B);
                var next = Field("next", Next(i));
                var second = Alt(i, b);
                steps.Add($"\"s{i}\":" + shape switch
                {
                    Shape.Email => "{\"type\":\"send\",\"channel\":\"email\",\"content\":{\"subject\":\"S" + i + "\",\"body\":\"Hi {{profile.firstName}}\"}" + next + "}",
                    Shape.Sms => "{\"type\":\"send\",\"channel\":\"sms\",\"content\":{\"text\":\"T" + i + "\"}" + next + "}",
                    Shape.Preferred => "{\"type\":\"send\",\"channel\":\"preferred\",\"content\":{\"sms\":{\"text\":\"T\"},\"email\":{\"subject\":\"S\",\"body\":\"B\"}}" + next + "}",
                    Shape.Webhook => "{\"type\":\"send\",\"channel\":\"webhook\",\"content\":{\"url\":\"https://h.example/" + i + "\"}" + next + "}",
                    Shape.DelayFor => $"{{\"type\":\"delay\",\"for\":\"PT{a % 5 + 1}H\"{next}}}",
                    Shape.DelayUntil => $"{{\"type\":\"delay\",\"until\":\"{a % 24:00}:{b % 2 * 30:00}\"{next}}}",
                    Shape.WaitFor => $"{{\"type\":\"waitFor\",\"event\":\"E{a % 2}\",\"timeout\":\"PT{b % 4 + 1}H\"{Field("onEvent", Next(i))}{Field("onTimeout", Alt(i, a + b))}}}",
                    Shape.Branch => "{\"type\":\"branch\",\"paths\":[{\"name\":\"p\",\"when\":"
                        + (a % 2 == 0 ? $"{{\"property\":\"p\",\"gt\":{b % 3}}}" : "{\"trait\":\"tier\",\"eq\":\"gold\"}")
                        + next + "}]" + Field("otherwise", second) + "}",
                    Shape.Split => $"{{\"type\":\"split\",\"paths\":[{{\"name\":\"A\",\"percent\":{a % 9 * 10 + 10}{next}}},{{\"name\":\"B\",\"percent\":{90 - a % 9 * 10}{Field("next", second)}}}]}}",
                    Shape.Update => $"{{\"type\":\"update\",\"traits\":{{\"tier\":\"{(a % 2 == 0 ? "gold" : "silver")}\"}}{next}}}",
                    _ => "{\"type\":\"exit\"}",
                });
            }
            var goal = Goal switch
            {
                1 => """ "goal":{"event":"Purchase"}, """,
                2 => """ "goal":{"event":"Purchase","exit":false}, """,
                _ => "",
            };
            var exitParts = new List<string>();
            if (ExitEvent) exitParts.Add("""  "events":[{"event":"Stop"}] """);
            if (HasMaxDuration) exitParts.Add(""" "maxDuration":"P1D" """);
            var exit = exitParts.Count == 0 ? "" : $"\"exit\":{{{string.Join(",", exitParts)}}},";
            var reentry = Reentry switch
            {
                1 => """ "reentry":{"mode":"multiple"}, """,
                2 => """ "reentry":{"mode":"multiple","lock":"PT3H"}, """,
                3 => """ "reentry":{"mode":"multiple","cap":{"count":2,"within":"PT12H"}}, """,
                _ => "",
            };
            var entry = EntryWhere ? """{"event":"Enter","where":{"property":"p","gt":0}}""" : """{"event":"Enter"}""";
            return "{\"id\":\"" + Id + "\",\"entry\":" + entry + "," + goal + exit + reentry + "\"start\":\"s0\",\"steps\":{" + string.Join(",", steps) + "}}";
        }
    }

    private enum Kind { Identify, Enter, E0, E1, Purchase, Stop, Other }

    private sealed record EventSpec(int User, Kind Kind, int GapMinutes, int Prop);

    private sealed record Case(JourneySpec[] Journeys, EventSpec[] Events, int Options)
    {
        public EngineOptions EngineOptions => Options switch
        {
            1 => new EngineOptions { QuietHours = new QuietHours(new TimeOnly(22, 0), new TimeOnly(7, 0), new HashSet<Channel> { Channel.Email, Channel.Sms }) },
            2 => new EngineOptions { FrequencyCap = new FrequencyCap(2, IsoDuration.TryParse("PT6H", out var d) ? d : default) },
            _ => EngineOptions.Default,
        };

        public override string ToString()
        {
            var b = new StringBuilder();
            b.Append("options ").Append(Options).Append('\n');
            foreach (var j in Journeys) b.Append(j.ToJson()).Append('\n');
            foreach (var e in Events) b.Append(e).Append('\n');
            return b.ToString();
        }
    }

    // ---------------------------------------------------------------- generators

    private static readonly Gen<StepSpec> StepGen =
        from shape in Gen.Elements(Enum.GetValues<Shape>())
        from a in Gen.Choose(0, 1000)
        from b in Gen.Choose(0, 1000)
        select new StepSpec(shape, a, b);

    private static Gen<JourneySpec> JourneyGen(string id) =>
        from count in Gen.Choose(1, 6)
        from steps in Gen.ArrayOf(StepGen, count)
        from loop in Gen.Elements(false, false, true)
        from goal in Gen.Choose(0, 2)
        from exitEvent in Gen.Elements(false, true)
        from reentry in Gen.Choose(0, 3)
        from maxDuration in Gen.Elements(false, true)
        from entryWhere in Gen.Elements(false, false, true)
        select Normalize(new JourneySpec(id, steps, loop, goal, exitEvent, reentry, maxDuration, entryWhere));

    /// <summary>An exit step only last (a step after it would be unreachable); a loop starts at a delay.</summary>
    private static JourneySpec Normalize(JourneySpec j)
    {
        var steps = j.Steps.Select((s, i) => s.Shape == Shape.Exit && i < j.Steps.Length - 1 ? s with { Shape = Shape.Update } : s).ToArray();
        if (j.Loop && steps[^1].Shape != Shape.Exit)
        {
            steps[0] = steps[0] with { Shape = Shape.DelayFor };
        }
        return j with { Steps = steps };
    }

    private static readonly Gen<EventSpec> EventGen =
        from user in Gen.Choose(0, 3)
        from kind in Gen.Frequency(
            (2, Gen.Constant(Kind.Identify)), (5, Gen.Constant(Kind.Enter)), (2, Gen.Constant(Kind.E0)), (2, Gen.Constant(Kind.E1)),
            (2, Gen.Constant(Kind.Purchase)), (1, Gen.Constant(Kind.Stop)), (1, Gen.Constant(Kind.Other)))
        from gap in Gen.Frequency((3, Gen.Constant(0)), (5, Gen.Choose(1, 90)), (2, Gen.Choose(91, 1500)))
        from prop in Gen.Choose(0, 3)
        select new EventSpec(user, kind, gap, prop);

    private static readonly Gen<Case> CaseGen =
        from first in JourneyGen("j1")
        from two in Gen.Elements(false, true)
        from second in JourneyGen("j2")
        from events in Gen.Sized(size => Gen.Choose(1, Math.Max(2, size + 5)).SelectMany(n => Gen.ArrayOf(EventGen, n)))
        from options in Gen.Choose(0, 2)
        select new Case(two ? [first, second] : [first], events, options);

    // ---------------------------------------------------------------- running a case

    private static Scenario Play(Case c)
    {
        var s = Scenario.Create(c.Journeys.Select(j => j.ToJson()), [], c.EngineOptions);
        var at = Times.At("06:00");
        var id = 0;
        foreach (var e in c.Events)
        {
            at = at.AddMinutes(e.GapMinutes);
            var user = $"u{e.User}";
            var when = Times.Format(at);
            id++;
            switch (e.Kind)
            {
                case Kind.Identify:
                    s.Identify(user, when, e.Prop switch
                    {
                        0 => new { email = $"{user}@example.com", firstName = "F", tier = "gold", timezone = "America/New_York" } as object,
                        1 => new { phone = "+1555", consent = new { sms = true }, tier = "silver" },
                        2 => new { email = $"{user}@example.com", phone = "+1555", preferredChannel = "sms", consent = new { email = false }, timezone = "Asia/Tokyo" },
                        _ => new { firstName = "G" },
                    }, messageId: $"m{id}");
                    break;
                default:
                    s.Track(user, e.Kind.ToString(), when, new { p = e.Prop }, messageId: e.Prop == 3 && id > 1 ? $"m{id - 1}" : $"m{id}");
                    break;
            }
        }
        s.Drain();
        return s;
    }

    private static readonly string[] EndKinds = [TraceKind.Completed, TraceKind.Exited];

    /// <summary>Throws (with the trace) when an invariant breaks.</summary>
    private static bool Invariants(Case c)
    {
        var s = Play(c);
        var trace = s.Trace;
        void Fail(string why) => throw new InvalidOperationException(why + "\n" + string.Join("\n", s.Lines));

        for (var i = 1; i < trace.Count; i++)
        {
            if (trace[i].At < trace[i - 1].At) Fail($"record {i} goes back in time");
        }
        if (trace.Count(r => r.Kind == TraceKind.Sent) != s.Sends.Count) Fail("sent records and messages differ in number");

        foreach (var group in trace.GroupBy(r => (r.User, r.Journey)))
        {
            var journey = c.Journeys.Single(j => j.Id == group.Key.Journey);
            var open = false;
            var entries = 0;
            var sendsPerStep = new Dictionary<string, int>(StringComparer.Ordinal);
            var lastSend = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            var converted = 0;
            foreach (var r in group)
            {
                var where = $"{TraceText.Line(r)}: ";
                switch (r.Kind)
                {
                    case TraceKind.Entered:
                        if (open) Fail(where + "a second entered before the first enrollment ended");
                        open = true;
                        entries++;
                        sendsPerStep.Clear();
                        lastSend.Clear();
                        converted = 0;
                        break;
                    case TraceKind.Rejected:
                        if (r.Reason == TraceReason.Active && !open) Fail(where + "rejected active with no active enrollment");
                        if (open && r.Reason is not (TraceReason.Window or TraceReason.Audience or TraceReason.Active))
                        {
                            Fail(where + "an active enrollment must be reported as active (refusal order)");
                        }
                        if (!open && r.Reason == TraceReason.Once && entries == 0) Fail(where + "rejected once before any entry");
                        break;
                    case TraceKind.Completed:
                    case TraceKind.Exited:
                        if (!open) Fail(where + "an end with no enrollment");
                        open = false;
                        break;
                    default:
                        if (!open) Fail(where + "a record outside an enrollment (records must start with entered)");
                        if (r.Kind is TraceKind.Sent or TraceKind.Suppressed)
                        {
                            var n = sendsPerStep[r.Step!] = sendsPerStep.GetValueOrDefault(r.Step!) + 1;
                            if (n > 1 && !journey.IsCyclic) Fail(where + "a second send record for one step of an acyclic journey's enrollment");
                            // in a loop, each visit passes the first step, a delay of an hour or more
                            if (lastSend.TryGetValue(r.Step!, out var previous) && r.At - previous < TimeSpan.FromHours(1))
                            {
                                Fail(where + "two send records for one step in one visit of a loop");
                            }
                            lastSend[r.Step!] = r.At;
                        }
                        if (r.Kind == TraceKind.Path && r.Step is { } pathStep)
                        {
                            var shape = journey.Steps[int.Parse(pathStep[1..], System.Globalization.CultureInfo.InvariantCulture)].Shape;
                            string[] allowed = shape switch
                            {
                                Shape.WaitFor => ["event", "timeout"],
                                Shape.Branch => ["p", "otherwise"],
                                Shape.Split => ["A", "B"],
                                _ => [],
                            };
                            if (!allowed.Contains(r.Path)) Fail(where + $"path '{r.Path}' is not one of {shape}'s");
                        }
                        if (r.Kind == TraceKind.Converted && ++converted > 1) Fail(where + "converted twice in one enrollment");
                        break;
                }
            }
            if (open) Fail($"{group.Key}: an enrollment never ended after the timers drained");
            if (entries > 1 && journey.Reentry == 0) Fail($"{group.Key}: reentry once, yet {entries} entries");
        }

        // every enrollment the store knows of has ended too
        foreach (var journey in c.Journeys)
        {
            if (s.Stores.Enrollments.ActiveIn(journey.Id).Any()) Fail($"{journey.Id}: the store still has active enrollments");
        }
        return true;
    }

    [Fact]
    public void Random_journeys_keep_the_trace_invariants()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(CaseGen.ToArbitrary(), Invariants));
    }

    [Fact]
    public void Random_journeys_replay_identically()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(CaseGen.ToArbitrary(), c =>
        {
            var first = Play(c).Trace.Select(r => r.ToJson());
            var second = Play(c).Trace.Select(r => r.ToJson());
            return first.SequenceEqual(second);
        }));
    }

    [Fact]
    public void Generated_journeys_are_valid_definitions()
    {
        // the generator itself: every journey it makes must load (Scenario asserts validity)
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(JourneyGen("j").ToArbitrary(), j =>
        {
            var loaded = DefinitionLoader.Load([("j.journey.json", j.ToJson())]);
            return loaded.IsValid ? true : throw new InvalidOperationException(string.Join("\n", loaded.Problems) + "\n" + j.ToJson());
        }));
    }
}
