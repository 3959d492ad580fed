using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>Per-journey counts of trace records: the simulator's summary table.</summary>
public sealed class TraceSummary
{
    public static readonly string[] Columns =
        [TraceKind.Entered, TraceKind.Rejected, TraceKind.Sent, TraceKind.Suppressed, TraceKind.Converted, TraceKind.Exited, TraceKind.Completed];

    private readonly SortedDictionary<string, long[]> _counts = new(StringComparer.Ordinal);

    public void Add(TraceRecord record)
    {
        var column = Array.IndexOf(Columns, record.Kind);
        if (column < 0) return;
        if (!_counts.TryGetValue(record.Journey, out var row))
        {
            _counts[record.Journey] = row = new long[Columns.Length];
        }
        row[column]++;
    }

    /// <summary>Adds another summary's counts (the partitions of a replay).</summary>
    public void Add(TraceSummary other)
    {
        foreach (var (journey, counts) in other._counts)
        {
            if (!_counts.TryGetValue(journey, out var row))
            {
                _counts[journey] = row = new long[Columns.Length];
            }
            for (var i = 0; i < row.Length; i++) row[i] += counts[i];
        }
    }

    public long Count(string journey, string kind) =>
        _counts.TryGetValue(journey, out var row) && Array.IndexOf(Columns, kind) is >= 0 and var i ? row[i] : 0;

    public IEnumerable<string> Journeys => _counts.Keys;

    /// <summary>A fixed-width table, one row per journey that has any record, and a total row.</summary>
    public void WriteTable(TextWriter writer, IEnumerable<string>? allJourneys = null)
    {
        var names = (allJourneys ?? []).Concat(_counts.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var width = Math.Max(7, names.Count == 0 ? 0 : names.Max(n => n.Length));
        writer.Write("journey".PadRight(width));
        foreach (var c in Columns) writer.Write($"  {c,10}");
        writer.WriteLine();
        var total = new long[Columns.Length];
        foreach (var name in names)
        {
            writer.Write(name.PadRight(width));
            var row = _counts.GetValueOrDefault(name) ?? new long[Columns.Length];
            for (var i = 0; i < Columns.Length; i++)
            {
                writer.Write($"  {row[i],10}");
                total[i] += row[i];
            }
            writer.WriteLine();
        }
        writer.Write("total".PadRight(width));
        foreach (var t in total) writer.Write($"  {t,10}");
        writer.WriteLine();
    }
}
