using FsCheck;
using FsCheck.Fluent;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Experiments;

/// <summary>
/// FsCheck invariants of DESIGN §10: a rate limit never sends two messages of its channel closer than its spacing,
/// sends in arrival order, drops none; the global control group never gets a message; Holm never lowers a p-value.
/// </summary>
public sealed class ExperimentPropertyTests
{
    private const string Journey = """
        {"id":"w","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"b"},"next":"again"},
                  "again":{"type":"send","channel":"email","content":{"subject":"Again","body":"b"}}}}
        """;

    private static readonly DateTimeOffset T0 = Times.Day0.AddHours(10);

    [Fact]
    public void A_rate_limit_spaces_every_send_keeps_order_and_drops_none()
    {
        var arrivals = Gen.ArrayOf(Gen.Choose(0, 90)).Select(gaps => gaps.Take(25).ToArray());
        var rates = Gen.Choose(1, 30);
        Prop.ForAll(arrivals.ToArbitrary(), rates.ToArbitrary(), (gaps, perMinute) =>
        {
            var kit = new ExperimentKit([Journey], new EngineOptions { RateLimits = new Dictionary<Channel, int> { [Channel.Email] = perMinute } });
            var at = T0;
            for (var i = 0; i < gaps.Length; i++)
            {
                at = at.AddSeconds(gaps[i]);
                kit.Person($"u{i}", at);
                kit.Track($"u{i}", "Go", at);
            }
            kit.Drain();
            var spacing = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute);
            var sends = kit.Sends.OrderBy(m => m.At).ToList();
            var spaced = sends.Zip(sends.Skip(1)).All(p => p.Second.At - p.First.At >= spacing);
            // every user gets both messages, the first ones in the order users arrived
            var complete = sends.Count == 2 * gaps.Length;
            var firsts = sends.Where(m => m.Step == "mail").Select(m => m.UserId).ToList();
            var ordered = firsts.SequenceEqual(Enumerable.Range(0, gaps.Length).Select(i => $"u{i}"));
            return spaced && complete && ordered;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_global_control_group_never_gets_a_message_and_is_about_its_share()
    {
        Prop.ForAll(Gen.Choose(1, 99).ToArbitrary(), percent =>
        {
            var control = new GlobalControl(percent);
            var kit = new ExperimentKit([Journey], new EngineOptions { GlobalControl = control });
            for (var i = 0; i < 200; i++)
            {
                kit.Person($"p{percent}-{i}", T0);
                kit.Track($"p{percent}-{i}", "Go", T0);
            }
            var held = Enumerable.Range(0, 200).Count(i => control.Holds($"p{percent}-{i}"));
            var none = kit.Sends.All(m => !control.Holds(m.UserId));
            var everyOther = kit.Sends.Count == 2 * (200 - held);
            var suppressed = kit.Of(TraceKind.Suppressed).All(r => r.Reason == TraceReason.GlobalControl && control.Holds(r.User));
            // a stable hash, not a coin: the share is near the percent (4 standard deviations)
            var sd = Math.Sqrt(200 * percent / 100.0 * (1 - percent / 100.0));
            var share = Math.Abs(held - 200 * percent / 100.0) <= 4 * sd + 1;
            return none && everyOther && suppressed && share;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Holm_never_lowers_a_p_value_and_keeps_their_order()
    {
        var pValues = Gen.ArrayOf(Gen.Choose(0, 1000).Select(n => n / 1000.0));
        Prop.ForAll(pValues.ToArbitrary(), raw =>
        {
            var adjusted = ExperimentStatistics.Holm(raw);
            var bounded = raw.Zip(adjusted).All(p => p.Second >= p.First - 1e-12 && p.Second <= 1);
            var monotone = raw.Zip(adjusted).All(a => raw.Zip(adjusted).All(b => a.First >= b.First ? a.Second >= b.Second - 1e-12 : true));
            var noWorseThanBonferroni = raw.Zip(adjusted).All(p => p.Second <= Math.Min(1, p.First * raw.Length) + 1e-12);
            return bounded && monotone && noWorseThanBonferroni;
        }).QuickCheckThrowOnFailure();
    }

    private static IsoDuration Duration(string text) => IsoDuration.TryParse(text, out var d) ? d : throw new FormatException(text);

    [Fact]
    public void The_winner_is_a_function_of_the_counts_alone()
    {
        var split = new SplitStep([new SplitPath("control", 34, null) { Control = true }, new SplitPath("a", 33, null), new SplitPath("b", 33, null)])
        {
            Id = "ab",
            Experiment = new ExperimentRule("goal", Duration("P7D"), new WinnerRule(Duration("P1D"), 50)),
        };
        var counts = Gen.Choose(50, 400).SelectMany(n => Gen.Choose(0, n).Select(c => new PathTally(n, c)));
        Prop.ForAll(counts.ToArbitrary(), counts.ToArbitrary(), counts.ToArbitrary(), (c, a, b) =>
        {
            var tally = new ExperimentTally(T0, null, new Dictionary<string, PathTally> { ["control"] = c, ["a"] = a, ["b"] = b });
            var first = ExperimentComparison.Winner(split, tally, T0.AddDays(2));
            var again = ExperimentComparison.Winner(split, tally with { }, T0.AddDays(2));
            var early = ExperimentComparison.Winner(split, tally, T0.AddHours(23));
            var beats = first is not { } w || (split.Paths[w].Name is var name && tally.Path(name).Rate > c.Rate
                && ExperimentComparison.Compare(split, tally).Single(x => x.PathIndex == w).Significant);
            return first == again && early is null && beats;
        }).QuickCheckThrowOnFailure();
    }
}
