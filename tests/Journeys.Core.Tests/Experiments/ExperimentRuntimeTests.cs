using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Experiments;

/// <summary>DESIGN §10 in the single-node runtime (the simulator's and serve's): experiments, the global control group, limits, rate limits.</summary>
public sealed class ExperimentRuntimeTests
{
    private static readonly DateTimeOffset T0 = Times.Day0.AddHours(10);

    private static string Experiment(string winner = "", string metric = "") =>
        """
        {"id":"x","entry":{"event":"Go"},"goal":{"event":"Purchase","where":{"property":"price","gt":10}},"start":"ab",
         "steps":{
           "ab":{"type":"split","experiment":{
        """ + metric + "\"window\":\"PT24H\"" + winner + """
        },
                 "paths":[{"name":"control","percent":50,"control":true},{"name":"email","percent":50,"next":"mail"}]},
           "mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"wait"},
           "wait":{"type":"delay","for":"P2D"}}}
        """;

    [Fact]
    public void A_conversion_within_the_window_counts_for_the_path_even_after_the_enrollment_ended()
    {
        var kit = new ExperimentKit([Experiment()]);
        for (var i = 0; i < 40; i++)
        {
            kit.Person($"u{i}", T0);
            kit.Track($"u{i}", "Go", T0);
        }
        var paths = kit.PathOf("ab");
        var control = paths.Where(p => p.Value == "control").Select(p => p.Key).ToList();
        var treated = paths.Where(p => p.Value == "email").Select(p => p.Key).ToList();
        Assert.NotEmpty(control);
        Assert.NotEmpty(treated);
        Assert.All(control, u => Assert.Contains(kit.Of(TraceKind.Completed), r => r.User == u)); // the control path ends at once

        kit.Track(control[0], "Purchase", T0.AddHours(5), new { price = 50 });
        kit.Track(control[0], "Purchase", T0.AddHours(6), new { price = 50 }); // once per assignment
        kit.Track(treated[0], "Purchase", T0.AddHours(23), new { price = 50 });
        kit.Track(treated[1 % treated.Count], "Purchase", T0.AddHours(25), new { price = 50 }); // outside the window
        kit.Track(control[1 % control.Count], "Purchase", T0.AddHours(2), new { price = 5 }); // the goal's where fails

        var tally = kit.Counters.Experiment("x", "ab");
        Assert.Equal(control.Count, tally.Path("control").Entered);
        Assert.Equal(treated.Count, tally.Path("email").Entered);
        Assert.Equal(1, tally.Path("control").Converted);
        Assert.Equal(1, tally.Path("email").Converted);
        Assert.Equal(T0, tally.StartedAt);
        Assert.Equal(1, kit.Counted["experiment-converted:ab:control"]);
        Assert.Equal(treated.Count, kit.Counted["experiment:ab:email"]);
    }

    [Fact]
    public void A_metric_event_other_than_the_goal_converts()
    {
        var kit = new ExperimentKit([Experiment(metric: "\"metric\":\"Signup\",")]);
        kit.Person("u1", T0);
        kit.Track("u1", "Go", T0);
        kit.Track("u1", "Purchase", T0.AddHours(1), new { price = 50 });
        Assert.Equal(0, kit.Counters.Experiment("x", "ab").Paths.Values.Sum(p => p.Converted));
        kit.Track("u1", "Signup", T0.AddHours(2));
        Assert.Equal(1, kit.Counters.Experiment("x", "ab").Paths.Values.Sum(p => p.Converted));
    }

    [Fact]
    public void Once_after_has_passed_and_every_path_has_its_minimum_new_users_take_the_winner()
    {
        var kit = new ExperimentKit([Experiment(winner: ""","winner":{"after":"P1D","minPerPath":20}""")]);
        for (var i = 0; i < 100; i++)
        {
            kit.Person($"u{i}", T0);
            kit.Track($"u{i}", "Go", T0);
        }
        // every e-mailed user buys, one control user in ten does: a clear winner
        var paths = kit.PathOf("ab");
        var n = 0;
        foreach (var (user, path) in paths.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (path == "email" || n++ % 10 == 0) kit.Track(user, "Purchase", T0.AddHours(1), new { price = 50 });
        }
        // before `after`: still splitting, both paths taken
        var early = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            kit.Person($"e{i}", T0.AddHours(12));
            kit.Track($"e{i}", "Go", T0.AddHours(12));
            early.Add(kit.PathOf("ab")[$"e{i}"]);
        }
        Assert.Contains("control", early);
        Assert.DoesNotContain(kit.Trace, r => r.Winner);

        kit.Person("late", T0.AddDays(1).AddHours(1));
        kit.Track("late", "Go", T0.AddDays(1).AddHours(1));
        var decided = Assert.Single(kit.Trace, r => r.Winner);
        Assert.Equal(("late", "email"), (decided.User, decided.Path));
        Assert.Contains("\"winner\":true", decided.ToJson(), StringComparison.Ordinal);
        Assert.Equal("email", kit.Counters.Experiment("x", "ab").Winner);
        Assert.Equal(1, kit.Counted["winner:ab:email"]);

        // every later user takes the winner, whatever their hash says
        for (var i = 0; i < 20; i++)
        {
            kit.Person($"w{i}", T0.AddDays(2));
            kit.Track($"w{i}", "Go", T0.AddDays(2));
        }
        Assert.Equal(21, kit.Trace.Count(r => r.Winner && r.Path == "email"));
        Assert.Equal(1, kit.Counted["winner:ab:email"]);
    }

    [Fact]
    public void The_simulator_replaying_a_log_picks_the_same_winner_at_the_same_user_every_time()
    {
        var definitions = Defs.Compile([Experiment(winner: ""","winner":{"after":"P1D","minPerPath":20}""")]);
        var log = new System.Text.StringBuilder();
        var n = 0;
        void Line(string json) => log.Append(json).Append('\n');
        for (var i = 0; i < 100; i++)
        {
            Line(Events.Identify($"i{i}", $"u{i}", T0, new { email = $"u{i}@example.com" }));
            Line(Events.Track($"g{i}", $"u{i}", "Go", T0));
        }
        // users the hash sends to the e-mail path buy, one control user in ten does
        var split = (SplitStep)definitions.Journey("x")!.Definition.Steps["ab"];
        for (var i = 0; i < 100; i++)
        {
            var path = split.Paths[SplitHash.Choose(split.Paths, SplitHash.Bucket("x", "ab", $"u{i}"))].Name;
            if (path == "email" || n++ % 10 == 0) Line(Events.Track($"p{i}", $"u{i}", "Purchase", T0.AddHours(1), new { price = 50 }));
        }
        for (var i = 0; i < 10; i++)
        {
            Line(Events.Identify($"li{i}", $"late{i}", T0.AddDays(1).AddMinutes(i), new { email = "l@example.com" }));
            Line(Events.Track($"lg{i}", $"late{i}", "Go", T0.AddDays(1).AddMinutes(i)));
        }
        List<string> Replay()
        {
            var trace = new List<string>();
            using var events = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(log.ToString()));
            new Journeys.Core.Runtime.Simulator(definitions).Run(events, "log", r => trace.Add(r.ToJson()), TextWriter.Null);
            return trace;
        }
        var first = Replay();
        Assert.Equal(first, Replay());
        var winners = first.Where(l => l.Contains("\"winner\":true", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, winners.Count);
        Assert.Contains("\"user\":\"late0\"", winners[0], StringComparison.Ordinal);
        Assert.All(winners, w => Assert.Contains("\"path\":\"email\"", w, StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_significant_path_the_split_goes_on()
    {
        var kit = new ExperimentKit([Experiment(winner: ""","winner":{"after":"PT1H","minPerPath":5}""")]);
        for (var i = 0; i < 60; i++)
        {
            kit.Person($"u{i}", T0);
            kit.Track($"u{i}", "Go", T0);
            kit.Track($"u{i}", "Purchase", T0.AddMinutes(1), new { price = 50 }); // everyone buys: no difference
        }
        for (var i = 0; i < 20; i++)
        {
            kit.Person($"l{i}", T0.AddHours(3));
            kit.Track($"l{i}", "Go", T0.AddHours(3));
        }
        Assert.DoesNotContain(kit.Trace, r => r.Winner);
        Assert.Null(kit.Counters.Experiment("x", "ab").Winner);
    }

    private const string Welcome = """
        {"id":"w","entry":{"event":"Go"},"goal":{"event":"Purchase","exit":true},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"sms"},
                  "sms":{"type":"send","channel":"sms","content":{"text":"t"},"next":"hook"},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.com/h"},"next":"wait"},
                  "wait":{"type":"delay","for":"P1D"}}}
        """;

    [Fact]
    public void The_global_control_group_gets_no_message_but_still_converts()
    {
        var control = new GlobalControl(30);
        var kit = new ExperimentKit([Welcome], new EngineOptions { GlobalControl = control });
        var users = Enumerable.Range(0, 40).Select(i => $"u{i}").ToList();
        foreach (var user in users)
        {
            kit.Person(user, T0);
            kit.Track(user, "Go", T0);
            kit.Track(user, "Purchase", T0.AddHours(1));
        }
        var held = users.Where(control.Holds).ToList();
        Assert.InRange(held.Count, 1, 39);
        foreach (var user in users)
        {
            var suppressed = kit.Of(TraceKind.Suppressed).Where(r => r.User == user).ToList();
            if (held.Contains(user))
            {
                Assert.Equal(["email", "sms"], suppressed.Select(r => r.Channel));
                Assert.All(suppressed, r => Assert.Equal(TraceReason.GlobalControl, r.Reason));
                Assert.DoesNotContain(kit.Sends, m => m.UserId == user && m.Channel != Channel.Webhook);
                Assert.Contains(kit.Sends, m => m.UserId == user && m.Channel == Channel.Webhook); // a destination, not a message
            }
            else
            {
                Assert.Empty(suppressed);
                Assert.Equal(3, kit.Sends.Count(m => m.UserId == user));
            }
            Assert.Contains(kit.Of(TraceKind.Converted), r => r.User == user);
        }
    }

    [Fact]
    public void Entry_limits_reject_beyond_a_utc_day_and_in_total_after_cap()
    {
        var journey = """
            {"id":"l","entry":{"event":"Go"},"reentry":{"mode":"multiple","cap":{"count":1,"within":"P1D"}},
             "limits":{"entriesPerDay":2,"entriesTotal":3},"start":"e","steps":{"e":{"type":"exit"}}}
            """;
        var kit = new ExperimentKit([journey]);
        kit.Track("a", "Go", T0);
        kit.Track("b", "Go", T0.AddHours(1));
        kit.Track("c", "Go", T0.AddHours(2)); // third today
        kit.Track("a", "Go", T0.AddHours(3)); // cap comes before limit
        kit.Track("c", "Go", Times.Day0.AddDays(1)); // midnight UTC: a new day
        kit.Track("d", "Go", Times.Day0.AddDays(1).AddHours(1)); // the total is reached
        var outcomes = kit.Trace.Where(r => r.Kind is TraceKind.Entered or TraceKind.Rejected)
            .Select(r => $"{r.User} {r.Kind}{(r.Reason is null ? "" : " " + r.Reason)}");
        Assert.Equal(["a entered", "b entered", "c rejected limit", "a rejected cap", "c entered", "d rejected limit"], outcomes);
    }

    [Fact]
    public void A_rate_limit_spaces_sends_in_order_and_drops_none()
    {
        var kit = new ExperimentKit([Welcome], new EngineOptions { RateLimits = new Dictionary<Channel, int> { [Channel.Email] = 2 } });
        foreach (var user in new[] { "u1", "u2", "u3", "u4" })
        {
            kit.Person(user, T0);
            kit.Track(user, "Go", T0);
        }
        kit.Drain();
        var emails = kit.Sends.Where(m => m.Channel == Channel.Email).ToList();
        Assert.Equal(["u1", "u2", "u3", "u4"], emails.Select(m => m.UserId));
        Assert.Equal([T0, T0.AddSeconds(30), T0.AddSeconds(60), T0.AddSeconds(90)], emails.Select(m => m.At));
        var deferred = kit.Of(TraceKind.Deferred).ToList();
        Assert.Equal(["u2", "u3", "u4"], deferred.Select(r => r.User));
        Assert.Equal([T0.AddSeconds(30), T0.AddSeconds(60), T0.AddSeconds(90)], deferred.Select(r => r.Until!.Value));
        // sms is not limited: it follows each e-mail at once
        Assert.Equal(emails.Select(m => m.At), kit.Sends.Where(m => m.Channel == Channel.Sms).Select(m => m.At));
        // the deferred send keeps its idempotency key's visit: one message per user and step
        Assert.Equal(4, emails.Select(m => m.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public void Edges_and_attribution_follow_the_walk()
    {
        var kit = new ExperimentKit([Welcome]);
        kit.Person("u1", T0);
        kit.Track("u1", "Go", T0);
        kit.Track("u1", "Purchase", T0.AddHours(2));
        Assert.Equal(1, kit.Edges["mail>sms"]);
        Assert.Equal(1, kit.Edges["sms>hook"]);
        Assert.Equal(1, kit.Edges["hook>wait"]);
        Assert.Equal(3, kit.Edges.Count);
    }
}
