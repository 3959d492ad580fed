using System.Text.Json;
using Journeys.Core.Engine;

namespace Journeys.Hosting.Stats;

/// <summary>
/// The <see cref="StatsMetrics"/> counters of one journey from its trace records alone, for a runtime that
/// keeps the trace but no counters (the Functions app). Records of one user must come in the order written.
/// Differences from counters kept on the write path, by construction: <c>step:</c> counts the records a step
/// leaves (a send sent or suppressed, a branch, split or waitFor outcome), not arrivals: a delay is never counted,
/// a waitFor only once it ends, a deferred send once it goes; a split path's
/// conversion is credited to the paths recorded since the user's last <c>entered</c>, and attributed to the user's
/// last <c>sent</c> step since then; no <c>edge:</c> counts (the trace does not record every move) and no experiment
/// window (a split's readout falls back to its <c>path:</c> counts).
/// </summary>
public sealed class TraceCounters(IReadOnlySet<string> splitSteps, GlobalControl? holdout = null)
{
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _splitPathsByUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _lastSentByUser = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Enrollments entered and not yet completed or exited.</summary>
    public long Active
    {
        get
        {
            var ended = _counts.GetValueOrDefault(TraceKind.Completed);
            foreach (var (metric, n) in _counts)
            {
                if (metric.StartsWith("exited:", StringComparison.Ordinal)) ended += n;
            }
            return Math.Max(0, _counts.GetValueOrDefault(TraceKind.Entered) - ended);
        }
    }

    /// <summary>Counts one trace record (its JSON text, DESIGN §6); text that is not a record is skipped.</summary>
    public void Add(string? recordJson)
    {
        if (string.IsNullOrEmpty(recordJson)) return;
        TraceRecord record;
        try
        {
            using var doc = JsonDocument.Parse(recordJson);
            var root = doc.RootElement;
            if (Text(root, "kind") is not { } kind || Text(root, "user") is not { } user) return;
            record = new TraceRecord(default, user, Text(root, "journey") ?? "", kind, Text(root, "step"), Text(root, "channel"), Text(root, "path"), Text(root, "reason"))
            {
                Winner = root.TryGetProperty("winner", out var winner) && winner.ValueKind == JsonValueKind.True,
            };
        }
        catch (JsonException)
        {
            return;
        }
        Add(record);
    }

    public void Add(TraceRecord record)
    {
        foreach (var metric in StatsMetrics.Of(record, holdout))
        {
            Bump(metric);
        }
        if (StatsMetrics.ReachedInTrace(record) is { } reached)
        {
            Bump(reached);
        }
        switch (record.Kind)
        {
            case TraceKind.Entered:
                _splitPathsByUser.Remove(record.User);
                _lastSentByUser.Remove(record.User);
                break;
            case TraceKind.Sent when record.Step is { } sentStep:
                _lastSentByUser[record.User] = sentStep;
                break;
            case TraceKind.Path when record.Step is { } step && splitSteps.Contains(step):
                if (!_splitPathsByUser.TryGetValue(record.User, out var taken))
                {
                    _splitPathsByUser[record.User] = taken = [];
                }
                taken.Add($"path-converted:{step}:{record.Path}");
                if (record.Winner && !_counts.ContainsKey($"winner:{step}:{record.Path}"))
                {
                    Bump($"winner:{step}:{record.Path}");
                }
                break;
            case TraceKind.Converted:
                if (_splitPathsByUser.Remove(record.User, out var paths))
                {
                    foreach (var metric in paths)
                    {
                        Bump(metric);
                    }
                }
                if (_lastSentByUser.TryGetValue(record.User, out var credited))
                {
                    Bump($"attributed:{credited}");
                }
                break;
        }
    }

    private void Bump(string metric) => _counts[metric] = _counts.GetValueOrDefault(metric) + 1;

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
