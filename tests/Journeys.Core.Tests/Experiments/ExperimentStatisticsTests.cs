using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Tests.Experiments;

/// <summary>The readout's statistics against worked textbook values and their defining properties.</summary>
public sealed class ExperimentStatisticsTests
{
    [Fact]
    public void The_two_proportion_test_matches_the_worked_example()
    {
        // 200/1000 against 250/1000: pooled 0.225, se = sqrt(0.225 * 0.775 * 0.002) = 0.018675, z = 2.6774, p = 0.00742
        var p = ExperimentStatistics.TwoProportionPValue(new PathTally(1000, 250), new PathTally(1000, 200));
        Assert.InRange(p, 0.0073, 0.0075);
    }

    [Fact]
    public void Equal_rates_give_no_evidence_and_no_variance_gives_p_one()
    {
        Assert.Equal(1, ExperimentStatistics.TwoProportionPValue(new PathTally(500, 50), new PathTally(500, 50)), 9);
        Assert.Equal(1, ExperimentStatistics.TwoProportionPValue(new PathTally(500, 0), new PathTally(500, 0)));
        Assert.Equal(1, ExperimentStatistics.TwoProportionPValue(new PathTally(0, 0), new PathTally(500, 10)));
    }

    [Fact]
    public void The_wilson_interval_matches_the_worked_example_and_stays_in_bounds()
    {
        // 20 of 100: Wilson 95% interval [0.1333, 0.2888]
        var interval = ExperimentStatistics.Wilson(20, 100);
        Assert.InRange(interval.Low, 0.1332, 0.1335);
        Assert.InRange(interval.High, 0.2886, 0.2890);
        var none = ExperimentStatistics.Wilson(0, 10);
        Assert.Equal(0, none.Low, 9);
        Assert.InRange(none.High, 0.27, 0.31);
        var all = ExperimentStatistics.Wilson(10, 10);
        Assert.Equal(1, all.High, 9);
        Assert.Equal(new Interval(0, 1), ExperimentStatistics.Wilson(0, 0));
    }

    [Fact]
    public void Holm_steps_down_and_keeps_the_order()
    {
        // sorted 0.01, 0.03, 0.04 -> x3 = 0.03, x2 = 0.06, x1 = 0.04 raised to 0.06 (monotone)
        var adjusted = ExperimentStatistics.Holm([0.01, 0.04, 0.03]);
        Assert.Equal(0.03, adjusted[0], 9);
        Assert.Equal(0.06, adjusted[1], 9);
        Assert.Equal(0.06, adjusted[2], 9);
        Assert.Equal(1, ExperimentStatistics.Holm([0.6, 0.7])[0]);
    }

    [Fact]
    public void Lift_is_relative_to_the_control_and_absent_without_a_base()
    {
        Assert.Equal(0.25, ExperimentStatistics.Lift(0.25, 0.2)!.Value, 9);
        Assert.Null(ExperimentStatistics.Lift(0.1, 0));
    }
}
