using Journeys.Functions.Ingestion;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The timer trigger of <see cref="ScheduledFunctions.RunSchedules"/> (<c>0 * * * * *</c>: at second 0 of every
/// minute) without the Functions host: the same function, called at the same instants. A run that throws is
/// logged and the next minute runs again, as a timer trigger does.
/// </summary>
public sealed class ScheduledRunner(ScheduledFunctions functions, DurableTaskClient durable, TimeProvider time, ILogger<ScheduledRunner> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(1);
            try
            {
                await Task.Delay(next - now, time, stoppingToken);
                await functions.RunSchedules(new TimerInfo(), durable, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogError("Scheduled entries failed: {Error}", e.GetType().Name);
            }
        }
    }
}
