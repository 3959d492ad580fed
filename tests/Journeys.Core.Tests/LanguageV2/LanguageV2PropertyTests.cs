using FsCheck;
using FsCheck.Fluent;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>
/// FsCheck invariants of DESIGN §9: a keyed enrollment never acts on another key's event; a
/// multi-event wait leaves by exactly one path; a send with a window never goes outside it.
/// </summary>
public sealed class LanguageV2PropertyTests
{
    /// <summary>One random event: a user, a name, a key (or none), minutes after the previous one.</summary>
    private sealed record Step(int User, int Name, int Key, int Gap, int Price);

    private static readonly string[] Names = ["CartAbandoned", "Clicked", "Purchase", "Emptied", "Other"];

    private static readonly Gen<Step> StepGen =
        from user in Gen.Choose(0, 2)
        from name in Gen.Choose(0, Names.Length - 1)
        from key in Gen.Choose(0, 3) // 3: no key
        from gap in Gen.Frequency((3, Gen.Constant(0)), (5, Gen.Choose(1, 120)), (2, Gen.Choose(121, 3000)))
        from price in Gen.Choose(0, 3)
        select new Step(user, name, key, gap, price);

    private static readonly Gen<Step[]> StepsGen = Gen.Sized(size => Gen.Choose(1, Math.Max(2, size + 5)).SelectMany(n => Gen.ArrayOf(StepGen, n)));

    /// <summary>Records every state change with the event being processed when it happened.</summary>
    private sealed class Recorder : IRuntimeOutput
    {
        public CustomerEvent? Current { get; set; }

        public List<string> Violations { get; } = [];

        public List<TraceRecord> Records { get; } = [];

        public List<SendMessage> Sends { get; } = [];

        public void Trace(TraceRecord record) => Records.Add(record);

        public void Send(SendMessage message) => Sends.Add(message);

        public void Advanced(EnrollmentState before, EnrollmentState after)
        {
            if (Current is null || before == after)
            {
                return;
            }
            var key = EntryKeys.Of(["cartId"], Current.Properties);
            if (before.Key is not null && key is not null && key != before.Key)
            {
                Violations.Add($"{before.EnrollmentId} changed on {Current.Event} of cart {key}");
            }
        }
    }

    private static (JourneyRuntime Runtime, Recorder Output) Runtime(IEnumerable<string> journeys, EngineOptions? options = null)
    {
        var output = new Recorder();
        return (new JourneyRuntime(Defs.Compile(journeys), InMemoryStores.Create(), output, options), output);
    }

    private static CustomerEvent Parse(string json) => EventParser.Parse(json).Event!;

    private const string Keyed = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},"reentry":{"mode":"multiple"},
         "goal":{"event":"Purchase","where":{"property":"price","gt":1}},"exit":{"events":[{"event":"Emptied"}]},
         "start":"w","steps":{
           "w":{"type":"waitFor","timeout":"PT2H","onTimeout":"d","events":[{"event":"Clicked","next":"d"},{"event":"Purchase","next":"w"}]},
           "d":{"type":"delay","for":"PT1H","next":"w2"},
           "w2":{"type":"waitFor","event":"Clicked","timeout":"PT3H"} } }
        """;

    [Fact]
    public void A_keyed_enrollment_never_acts_on_another_keys_event()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(StepsGen.ToArbitrary(), steps =>
        {
            var (runtime, output) = Runtime([Keyed]);
            var at = Times.At("06:00");
            var id = 0;
            foreach (var step in steps)
            {
                at = at.AddMinutes(step.Gap);
                runtime.AdvanceTo(at); // timers first, so what follows is this event's doing
                object properties = step.Key == 3 ? new { price = step.Price } : new { cartId = $"c{step.Key}", price = step.Price };
                var e = Parse(Events.Track($"m{++id}", $"u{step.User}", Names[step.Name], at, properties));
                output.Current = e;
                runtime.Ingest(e, at);
                output.Current = null;
            }
            return output.Violations.Count == 0 ? true.Label("ok") : false.Label(string.Join("\n", output.Violations));
        }));
    }

    private const string MultiWait = """
        {"id":"j","entry":{"event":"CartAbandoned"},"reentry":{"mode":"multiple"},"start":"w","steps":{
           "w":{"type":"waitFor","timeout":"PT1H","onTimeout":"t","events":[
             {"name":"x","event":"Clicked"},
             {"name":"y","event":"Purchase","where":{"property":"price","gt":1},"next":"t"},
             {"name":"z","event":"Purchase"},
             {"name":"e","event":"Emptied","next":"t"}]},
           "t":{"type":"send","channel":"webhook","content":{"url":"https://h.example/t"}} } }
        """;

    [Fact]
    public void A_multi_event_wait_takes_exactly_one_path()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(StepsGen.ToArbitrary(), steps =>
        {
            var (runtime, output) = Runtime([MultiWait]);
            var at = Times.At("06:00");
            var id = 0;
            foreach (var step in steps)
            {
                at = at.AddMinutes(step.Gap);
                runtime.Ingest(Parse(Events.Track($"m{++id}", $"u{step.User}", Names[step.Name], at, new { price = step.Price })), at);
            }
            runtime.AdvanceTo(at.AddDays(1));
            foreach (var user in output.Records.GroupBy(r => r.User))
            {
                // each enrollment: entered, exactly one path of w, (a send), completed; never two at once
                var paths = 0;
                DateTimeOffset? entered = null;
                foreach (var r in user)
                {
                    switch (r.Kind)
                    {
                        case TraceKind.Entered:
                            if (entered is not null) return false.Label($"{user.Key}: entered twice at once");
                            (entered, paths) = (r.At, 0);
                            break;
                        case TraceKind.Path:
                            paths++;
                            var timedOut = r.Path == "timeout";
                            if (timedOut != (r.At == entered!.Value.AddHours(1)) || !(r.Path is "x" or "y" or "z" or "e" or "timeout"))
                                return false.Label($"{user.Key}: path {r.Path} at {r.At}");
                            break;
                        case TraceKind.Completed:
                            if (paths != 1) return false.Label($"{user.Key}: {paths} paths before completing");
                            entered = null;
                            break;
                    }
                }
                if (entered is not null) return false.Label($"{user.Key}: still waiting after a day");
            }
            return true.Label("ok");
        }));
    }

    private static readonly string[] Zones = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "America/Los_Angeles"];
    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private sealed record WindowCase(int DayMask, int From, int Until, bool Quiet, bool Optimal, int[] Zones, Step[] Steps);

    private static readonly Gen<WindowCase> WindowGen =
        from mask in Gen.Choose(1, 127)
        from open in Gen.Choose(0, 23 * 4)
        from close in Gen.Choose(0, 23 * 4)
        from quiet in Gen.Elements(false, true)
        from optimal in Gen.Elements(false, true)
        from zones in Gen.ArrayOf(Gen.Choose(0, Zones.Length - 1), 3)
        from steps in StepsGen
        where open != close
        select new WindowCase(mask, open, close, quiet, optimal, zones, steps);

    [Fact]
    public void A_send_with_a_window_is_never_sent_outside_it()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(WindowGen.ToArbitrary(), c =>
        {
            var days = Enumerable.Range(0, 7).Where(d => (c.DayMask & (1 << d)) != 0).Select(d => $"\"{DayNames[d]}\"");
            string Time(int quarter) => $"{quarter / 4:00}:{quarter % 4 * 15:00}";
            var window = $$"""{"days":[{{string.Join(",", days)}}],"from":"{{Time(c.From)}}","until":"{{Time(c.Until)}}"}""";
            var journey = """{"id":"j","entry":{"event":"CartAbandoned"},"reentry":{"mode":"multiple"},"start":"m","steps":{"m":{"type":"send","channel":"email","""
                + (c.Optimal ? "\"sendTime\":\"optimal\"," : "") + "\"window\":" + window
                + ""","content":{"subject":"S","body":"B"},"next":"d"},"d":{"type":"delay","for":"PT5H","next":"h"},"h":{"type":"send","channel":"webhook","window":""" + window
                + ""","content":{"url":"https://h.example"}}}}""";
            var options = c.Quiet ? new EngineOptions { QuietHours = new QuietHours(new TimeOnly(21, 0), new TimeOnly(8, 0), new HashSet<Channel> { Channel.Email }) } : null;
            var (runtime, output) = Runtime([journey], options);
            var at = Times.At("06:00");
            var id = 0;
            for (var u = 0; u < 3; u++)
            {
                runtime.Ingest(Parse(Events.Identify($"i{u}", $"u{u}", at, new { email = $"u{u}@example.com", timezone = Zones[c.Zones[u]] })), at);
            }
            foreach (var step in c.Steps)
            {
                at = at.AddMinutes(step.Gap * 7);
                runtime.Ingest(Parse(Events.Track($"m{++id}", $"u{step.User}", Names[step.Name], at)), at);
            }
            runtime.AdvanceTo(at.AddDays(30));
            var read = DefinitionReader.ReadJourney("j.journey.json", journey).Definition!;
            var sendWindow = ((SendStep)read.Steps["m"]).Window!;
            foreach (var m in output.Sends)
            {
                var zone = TimeZoneInfo.FindSystemTimeZoneById(Zones[c.Zones[int.Parse(m.UserId[1..], System.Globalization.CultureInfo.InvariantCulture)]]);
                if (!sendWindow.Contains(LocalTime.ToLocal(m.At, zone)))
                {
                    return false.Label($"{m.UserId} {m.Step} sent at {m.At:o} ({LocalTime.ToLocal(m.At, zone):ddd HH:mm} local) outside {window}");
                }
            }
            // every send that waited said until when, and went then
            var deferred = output.Records.Count(r => r.Kind == TraceKind.Deferred);
            return (output.Records.Where(r => r.Kind == TraceKind.Deferred).All(r => r.Until > r.At)).Label($"{deferred} deferrals");
        }));
    }
}
