using Journeys.Functions.Channels;
using Journeys.Functions.Ingestion;
using Journeys.Hosting.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Functions.Api;

/// <summary>
/// The built-in tracking routes on Azure, anonymous (mail clients carry no function key): <c>GET /api/t/o/{token}</c>
/// and <c>/api/t/c/{token}</c>, answered by the shared <see cref="TrackingEndpoints"/>; each hit goes through the
/// Event Hubs trigger's own handler (<see cref="EventIngestion"/>) as an event of the message's user.
/// </summary>
public sealed class TrackingApi(AzureTracking tracking, EventIngestion ingestion, TimeProvider time)
{
    [Function("TrackOpen")]
    public Task<IResult> Open(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "t/o/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string token) =>
        TrackingEndpoints.HitAsync(request.HttpContext, tracking.Signer, Ingest(ingestion, durable), time, TrackingKind.Open, token, null);

    [Function("TrackClick")]
    public Task<IResult> Click(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "t/c/{token}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string token) =>
        TrackingEndpoints.HitAsync(request.HttpContext, tracking.Signer, Ingest(ingestion, durable), time, TrackingKind.Click, token, request.Query["u"].FirstOrDefault());

    /// <summary>The same routes on the dev host (<c>/t/o/</c>, <c>/t/c/</c>), its Durable client from its services.</summary>
    public static void MapAzureTracking(IEndpointRouteBuilder routes)
    {
        var services = routes.ServiceProvider;
        var tracking = services.GetRequiredService<AzureTracking>();
        routes.MapTracking(() => tracking.Signer,
            (context, engagement, cancel) => services.GetRequiredService<EventIngestion>().IngestAsync(engagement, context.RequestServices.GetRequiredService<DurableTaskClient>(), cancel),
            services.GetService<TimeProvider>());
    }

    private static EngagementIngest Ingest(EventIngestion ingestion, DurableTaskClient durable) =>
        (_, engagement, cancel) => ingestion.IngestAsync(engagement, durable, cancel);
}
