using System.Diagnostics.Tracing;

namespace Journeys.Benchmarks;

/// <summary>
/// The runtime's allocation ticks (one event per ~100 KB allocated, naming the type that crossed the mark),
/// summed by type: a sampling allocation profile without a tracing tool (<c>sim-profile … --alloc</c>).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly Dictionary<string, long> _bytes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is not { } name || !name.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null)
        {
            return;
        }
        var type = e.PayloadNames!.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames!.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a]) : 100_000;
        lock (_gate)
        {
            _bytes[type] = _bytes.GetValueOrDefault(type) + amount;
        }
    }

    public void Print(TextWriter output, int top = 40)
    {
        lock (_gate)
        {
            var total = _bytes.Values.Sum();
            output.WriteLine($"allocated (sampled): {total / 1048576.0:F0} MiB");
            foreach (var (type, bytes) in _bytes.OrderByDescending(p => p.Value).Take(top))
            {
                output.WriteLine($"{bytes / 1048576.0,9:F1} MiB {100.0 * bytes / total,5:F1}%  {type}");
            }
        }
    }
}
