using MathNet.Numerics.Distributions;

namespace Journeys.Core.Engine.Experiments;

/// <summary>A proportion's 95% interval (Wilson score), bounds in [0, 1].</summary>
public readonly record struct Interval(double Low, double High);

/// <summary>
/// The statistics of an experiment readout, shared by the winner selection (the engine) and the stats API
/// (Journeys.Hosting), so the two can never disagree: Wilson score intervals, the pooled two-proportion
/// z-test (two-sided), and Holm's step-down correction over the comparisons against the control. The normal
/// distribution comes from MathNet.Numerics rather than a hand-written approximation.
/// </summary>
public static class ExperimentStatistics
{
    public const double Alpha = 0.05;

    /// <summary>z for a two-sided 95% interval (1.95996...).</summary>
    public static readonly double Z95 = Normal.InvCDF(0, 1, 1 - Alpha / 2);

    /// <summary>The Wilson score interval: unlike the normal approximation it stays inside [0, 1] and is sane at 0 or n conversions.</summary>
    public static Interval Wilson(long converted, long entered)
    {
        if (entered <= 0)
        {
            return new Interval(0, 1);
        }
        double n = entered, p = converted / n, z = Z95, z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new Interval(Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The two-sided p-value of the pooled two-proportion z-test of a path against the control; 1 when either
    /// has no entries or the pooled rate is 0 or 1 (no variance: nothing tells the two apart).
    /// </summary>
    public static double TwoProportionPValue(PathTally path, PathTally control)
    {
        if (path.Entered == 0 || control.Entered == 0)
        {
            return 1;
        }
        var pooled = (double)(path.Converted + control.Converted) / (path.Entered + control.Entered);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / path.Entered + 1.0 / control.Entered));
        if (se == 0 || double.IsNaN(se))
        {
            return 1;
        }
        var z = (path.Rate - control.Rate) / se;
        return Math.Min(1, 2 * Normal.CDF(0, 1, -Math.Abs(z)));
    }

    /// <summary>
    /// Holm's step-down adjustment: the i-th smallest of m p-values is multiplied by (m - i), the results made
    /// non-decreasing in that order and capped at 1. Controls the family-wise error rate at alpha like Bonferroni,
    /// with more power. Returned in the order given.
    /// </summary>
    public static double[] Holm(IReadOnlyList<double> pValues)
    {
        var m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        var running = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /// <summary>Relative lift of a rate over the control's; null when the control's rate is 0 (no base to compare with).</summary>
    public static double? Lift(double rate, double controlRate) => controlRate == 0 ? null : (rate - controlRate) / controlRate;
}
