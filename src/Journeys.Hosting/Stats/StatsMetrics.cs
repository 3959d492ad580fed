using Journeys.Core.Engine;

namespace Journeys.Hosting.Stats;

/// <summary>
/// The counters behind <c>GET /v1/journeys/{id}/stats</c>, named <c>kind[:detail...]</c>:
/// <c>entered</c>, <c>completed</c>, <c>converted</c>, <c>exited:{reason}</c>, <c>rejected:{reason}</c>,
/// <c>sent:{channel}</c>, <c>suppressed:{channel}</c>, <c>path:{step}:{path}</c>,
/// <c>path-converted:{step}:{path}</c> (a split path's enrollments that converted) and
/// <c>step:{step}</c> (arrivals at the step: at entry for the first step, else along an edge — once per visit,
/// whatever kind of step it is and whether the enrollment is still there; a trace-only runtime counts what the
/// trace shows instead, see <see cref="TraceCounters"/>); and from DESIGN §10: <c>edge:{from}>{to}</c> (moves along the graph),
/// <c>attributed:{step}</c> (conversions credited to the last send step that delivered before them),
/// <c>experiment:{step}:{path}</c> / <c>experiment-converted:{step}:{path}</c> (an experiment's entries and its
/// conversions within the window), <c>winner:{step}:{path}</c> (1 once the winner is chosen), and with a global
/// control group <c>global-control:{group}</c> / <c>global-control-converted:{group}</c> (entries and conversions of
/// users <see cref="HeldOut"/> of every message and of the others, <see cref="Messaged"/>).
/// </summary>
public static class StatsMetrics
{
    public const string HeldOut = "held-out";
    public const string Messaged = "messaged";

    /// <param name="holdout">The global control group in force, if any: entries and conversions are also counted by group.</param>
    public static IEnumerable<string> Of(TraceRecord record, GlobalControl? holdout = null)
    {
        switch (record.Kind)
        {
            case TraceKind.Entered:
            case TraceKind.Converted:
                yield return record.Kind;
                if (holdout is not null)
                {
                    var group = holdout.Holds(record.User) ? HeldOut : Messaged;
                    yield return record.Kind == TraceKind.Entered ? $"global-control:{group}" : $"global-control-converted:{group}";
                }
                break;
            case TraceKind.Completed:
                yield return record.Kind;
                break;
            case TraceKind.Exited:
            case TraceKind.Rejected:
                yield return $"{record.Kind}:{record.Reason}";
                break;
            case TraceKind.Sent:
            case TraceKind.Suppressed:
                yield return $"{record.Kind}:{record.Channel}";
                break;
            case TraceKind.Path:
                yield return $"path:{record.Step}:{record.Path}";
                break;
        }
    }

    public static string Of(EdgeTaken edge) => $"edge:{edge.From}>{edge.To}";

    public static string Of(StepReached reached) => $"step:{reached.Step}";

    /// <summary>The step a trace record shows reached, for a runtime that counts from the trace alone.</summary>
    public static string? ReachedInTrace(TraceRecord record) =>
        record.Kind is TraceKind.Sent or TraceKind.Suppressed or TraceKind.Path && record.Step is { } step ? $"step:{step}" : null;

    public static IEnumerable<string> Of(EnrollmentState before, EnrollmentState after)
    {
        if (after.Converted && !before.Converted)
        {
            if (before.LastSentStep is { } credited)
            {
                yield return $"attributed:{credited}";
            }
            foreach (var path in after.SplitPaths)
            {
                var at = path.IndexOf('=', StringComparison.Ordinal);
                yield return at < 0 ? $"path-converted:{path}" : $"path-converted:{path[..at]}:{path[(at + 1)..]}";
            }
        }
    }
}
