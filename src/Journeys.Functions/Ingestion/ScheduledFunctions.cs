using Journeys.Core.Runtime;
using Journeys.Functions.Durable;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Ingestion;

/// <summary>Timer triggers: scheduled entries every minute, retention once a day.</summary>
public sealed class ScheduledFunctions(DefinitionCatalog catalog, IngestorFactory ingestors, TableScheduleStore marks, Retention retention, TimeProvider time, ILogger<ScheduledFunctions> log)
{
    [Function("RunScheduledEntries")]
    public async Task RunSchedules([TimerTrigger("0 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellation)
    {
        var now = time.GetUtcNow();
        var signals = new BufferedSignals();
        IReadOnlyList<string> ran;
        using (ingestors.Traces.Scope("schedule-" + UserRows.Ticks(now)))
        {
            ran = new ScheduledEntries(() => catalog.Current, marks, ingestors.Create(signals)).RunDue(now);
        }
        var started = signals.Count;
        await signals.FlushAsync(durable, log, cancellation);
        if (ran.Count > 0)
        {
            log.LogInformation("Scheduled runs of {Journeys}: {Started} enrollments started", string.Join(",", ran), started);
        }
    }

    [Function("ApplyRetention")]
    public void ApplyRetention([TimerTrigger("0 30 3 * * *")] TimerInfo timer)
    {
        var deleted = retention.Run(RetentionPolicy.Default);
        log.LogInformation("Retention deleted {Rows} rows", deleted);
    }
}
