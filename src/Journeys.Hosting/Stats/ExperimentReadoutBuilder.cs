using Journeys.Core.Definitions;
using Journeys.Core.Engine.Experiments;
using Journeys.Hosting.Api;

namespace Journeys.Hosting.Stats;

/// <summary>
/// The experiment readout of DESIGN §10 from recorded per-path counts: rate with its 95% Wilson interval, lift over
/// the control, the two-proportion test's p-value and its Holm adjustment, significance — computed by the same
/// <see cref="ExperimentComparison"/> the engine's winner selection uses, so the table and the winner always agree.
/// </summary>
public static class ExperimentReadoutBuilder
{
    public const string Correction = "holm";

    /// <param name="tally">The recorded counts; <see cref="ExperimentTally.Winner"/> the recorded winner, if any.</param>
    public static ExperimentReadout Build(SplitStep split, ExperimentTally tally)
    {
        var rule = split.Experiment!;
        var comparisons = ExperimentComparison.Compare(split, tally).ToDictionary(c => c.PathIndex);
        var control = ExperimentComparison.ControlIndex(split);
        var controlRate = control < 0 ? 0 : tally.Path(split.Paths[control].Name).Rate;
        var paths = new List<ExperimentPathReadout>(split.Paths.Count);
        for (var i = 0; i < split.Paths.Count; i++)
        {
            var path = split.Paths[i];
            var counts = tally.Path(path.Name);
            var interval = ExperimentStatistics.Wilson(counts.Converted, counts.Entered);
            var compared = comparisons.TryGetValue(i, out var c) ? c : (PathComparison?)null;
            paths.Add(new ExperimentPathReadout(
                path.Name, path.Control, counts.Entered, counts.Converted, counts.Rate, new RateInterval(interval.Low, interval.High),
                compared is null || counts.Entered == 0 ? null : ExperimentStatistics.Lift(counts.Rate, controlRate),
                compared?.PValue, compared?.AdjustedPValue, compared?.Significant ?? false,
                string.Equals(tally.Winner, path.Name, StringComparison.Ordinal)));
        }
        return new ExperimentReadout(
            rule.Metric, rule.Window.ToString(), tally.Winner, rule.Winner?.After.ToString(), rule.Winner?.MinPerPath, Correction, paths);
    }

    /// <summary>
    /// The global control group's readout from the <c>global-control:</c> counters: the held-out users as the control,
    /// the messaged ones compared with them by the same test as an experiment's path (one comparison: no correction);
    /// null when neither group has an entry.
    /// </summary>
    public static GlobalControlReadout? GlobalControl(IReadOnlyDictionary<string, long> counts)
    {
        PathTally Group(string name) =>
            new(counts.GetValueOrDefault($"global-control:{name}"), counts.GetValueOrDefault($"global-control-converted:{name}"));
        var held = Group(StatsMetrics.HeldOut);
        var messaged = Group(StatsMetrics.Messaged);
        if (held.Entered == 0 && messaged.Entered == 0)
        {
            return null;
        }
        var p = ExperimentStatistics.TwoProportionPValue(messaged, held);
        return new GlobalControlReadout([Row(StatsMetrics.HeldOut, held, control: true), Row(StatsMetrics.Messaged, messaged, control: false)]);

        ExperimentPathReadout Row(string name, PathTally tally, bool control)
        {
            var interval = ExperimentStatistics.Wilson(tally.Converted, tally.Entered);
            var compared = !control && tally.Entered > 0 && held.Entered > 0;
            return new ExperimentPathReadout(
                name, control, tally.Entered, tally.Converted, tally.Rate, new RateInterval(interval.Low, interval.High),
                compared ? ExperimentStatistics.Lift(tally.Rate, held.Rate) : null,
                compared ? p : null, compared ? p : null, compared && p < ExperimentStatistics.Alpha, Winner: false);
        }
    }

    /// <summary>
    /// The recorded counts of one experiment split from the stats counters: <c>experiment:</c> and
    /// <c>experiment-converted:</c> (conversions within the window) when the runtime keeps them, else the split's
    /// <c>path:</c> and <c>path-converted:</c> counts (a runtime counting from its trace alone); <c>winner:</c>.
    /// </summary>
    public static ExperimentTally Tally(SplitStep split, IReadOnlyDictionary<string, long> counts)
    {
        var kept = split.Paths.Any(p => counts.ContainsKey($"experiment:{split.Id}:{p.Name}"));
        var (entered, converted) = kept ? ("experiment", "experiment-converted") : ("path", "path-converted");
        var paths = new Dictionary<string, PathTally>(StringComparer.Ordinal);
        string? winner = null;
        foreach (var path in split.Paths)
        {
            paths[path.Name] = new PathTally(
                counts.GetValueOrDefault($"{entered}:{split.Id}:{path.Name}"), counts.GetValueOrDefault($"{converted}:{split.Id}:{path.Name}"));
            if (counts.GetValueOrDefault($"winner:{split.Id}:{path.Name}") > 0) winner ??= path.Name;
        }
        return new ExperimentTally(null, winner, paths);
    }
}
