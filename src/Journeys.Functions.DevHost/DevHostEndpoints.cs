using Journeys.Functions.Api;
using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The dev host's HTTP routes, all from the shared hosting code (<c>serve</c> maps the same): the admin and read
/// routes over the Functions app's Table backend (<see cref="JourneysEndpoints.MapJourneysApi{TBackend}"/>, with
/// <c>GET /v1/rejected</c> over the dead-letter table), <c>POST /v1/events</c> handing each request's events to the
/// handler the Event Hubs trigger calls, as one batch, the Segment HTTP Tracking API, and 404/405 as JSON.
/// </summary>
public static class DevHostEndpoints
{
    public const long MaxBodyBytes = 16 * 1024 * 1024;
    public const int MaxBatchEvents = 10_000;

    public static void Map(WebApplication app, string? apiKey)
    {
        app.UseJsonStatusErrors();
        var intake = app.Services.GetRequiredService<DevHostIntake>();
        var time = app.Services.GetService<TimeProvider>();
        var v1 = app.MapJourneysApi<TableJourneysBackend>(apiKey);
        v1.MapEventIntake(intake.IngestRawAsync, MaxBodyBytes, MaxBatchEvents, time);
        app.MapSegmentIntake(intake, apiKey, MaxBodyBytes, MaxBatchEvents, time);
        TrackingApi.MapAzureTracking(app); // built-in tracking's /t/o and /t/c, anonymous (Functions/Api/TrackingApi)
    }
}
