using Journeys.Core.Definitions;

namespace Journeys.Core.Engine.Experiments;

/// <summary>One non-control path against the control: the test's raw and Holm-adjusted p-values.</summary>
public readonly record struct PathComparison(int PathIndex, double PValue, double AdjustedPValue)
{
    public bool Significant => AdjustedPValue < ExperimentStatistics.Alpha;
}

/// <summary>
/// Every non-control path of an experiment split tested against its control, corrected together (Holm), and the
/// winner rule of DESIGN §10 over them: the best rate among the paths that beat the control significantly, once
/// <c>after</c> has passed since the first entry and every path has <c>minPerPath</c> entries. A pure function of
/// the recorded counts, so every runner (and a replayed simulation) picks the same winner at the same input.
/// </summary>
public static class ExperimentComparison
{
    public static int ControlIndex(SplitStep split)
    {
        for (var i = 0; i < split.Paths.Count; i++)
        {
            if (split.Paths[i].Control) return i;
        }
        return -1;
    }

    public static IReadOnlyList<PathComparison> Compare(SplitStep split, ExperimentTally tally)
    {
        var control = ControlIndex(split);
        if (control < 0)
        {
            return [];
        }
        var controlTally = tally.Path(split.Paths[control].Name);
        var indexes = new List<int>();
        var pValues = new List<double>();
        for (var i = 0; i < split.Paths.Count; i++)
        {
            if (i == control) continue;
            indexes.Add(i);
            pValues.Add(ExperimentStatistics.TwoProportionPValue(tally.Path(split.Paths[i].Name), controlTally));
        }
        var adjusted = ExperimentStatistics.Holm(pValues);
        return [.. indexes.Select((index, k) => new PathComparison(index, pValues[k], adjusted[k]))];
    }

    /// <summary>The winning path's index at <paramref name="at"/>, or null while the experiment keeps splitting.</summary>
    public static int? Winner(SplitStep split, ExperimentTally tally, DateTimeOffset at)
    {
        if (split.Experiment?.Winner is not { } rule || tally.StartedAt is not { } started || at < rule.After.AddTo(started))
        {
            return null;
        }
        foreach (var path in split.Paths)
        {
            if (tally.Path(path.Name).Entered < rule.MinPerPath) return null;
        }
        var controlRate = tally.Path(split.Paths[ControlIndex(split)].Name).Rate;
        int? best = null;
        var bestRate = double.NegativeInfinity;
        foreach (var comparison in Compare(split, tally))
        {
            var rate = tally.Path(split.Paths[comparison.PathIndex].Name).Rate;
            // first listed wins a tie: the choice must not depend on anything but the counts and the definition
            if (comparison.Significant && rate > controlRate && rate > bestRate)
            {
                best = comparison.PathIndex;
                bestRate = rate;
            }
        }
        return best;
    }
}
