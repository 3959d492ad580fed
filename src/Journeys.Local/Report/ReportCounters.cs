using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Hosting.Stats;

namespace Journeys.Local.Report;

/// <summary>
/// The stats counters of a simulation, counted as serve counts them (<see cref="StatsMetrics"/> over the trace,
/// state changes, edges and experiment counts), so a backtest's report has the stats API's numbers.
/// </summary>
public sealed class ReportCounters(GlobalControl? holdout = null) : IRuntimeOutput
{
    private readonly Dictionary<string, SortedDictionary<string, long>> _counts = new(StringComparer.Ordinal);

    /// <summary>One journey's counters (empty when nothing happened in it).</summary>
    public IReadOnlyDictionary<string, long> Of(string journeyId) =>
        _counts.TryGetValue(journeyId, out var counts) ? counts : new SortedDictionary<string, long>(StringComparer.Ordinal);

    public void Trace(TraceRecord record)
    {
        foreach (var metric in StatsMetrics.Of(record, holdout)) Count(record.Journey, metric);
    }

    public void Send(SendMessage message)
    {
    }

    public void Advanced(EnrollmentState before, EnrollmentState after)
    {
        foreach (var metric in StatsMetrics.Of(before, after)) Count(after.JourneyId, metric);
    }

    public void Edge(EdgeTaken edge) => Count(edge.JourneyId, StatsMetrics.Of(edge));

    public void Reached(StepReached step) => Count(step.JourneyId, StatsMetrics.Of(step));

    public void Counted(string journeyId, string metric) => Count(journeyId, metric);

    private void Count(string journey, string metric)
    {
        if (!_counts.TryGetValue(journey, out var counts))
        {
            _counts[journey] = counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        }
        counts[metric] = counts.GetValueOrDefault(metric) + 1;
    }
}
