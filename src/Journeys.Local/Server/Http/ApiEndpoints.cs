using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Microsoft.AspNetCore.Builder;

namespace Journeys.Local.Server.Http;

/// <summary>serve's HTTP API (DESIGN §6): the shared routes over <see cref="ServeBackend"/>, and event intake (<c>/v1/events</c> and the Segment routes) into the engine loop.</summary>
public static class ApiEndpoints
{
    public static void Map(WebApplication app, ServerOptions options, EngineHost engine, ReadModelGate reads, TimeProvider time)
    {
        var v1 = app.MapJourneysApi(new ServeBackend(engine, reads), options.ApiKey, time);
        v1.MapEventIntake(engine, options.MaxBodyBytes, options.MaxBatchEvents, time);
        app.MapSegmentIntake(engine, options.ApiKey, options.MaxBodyBytes, options.MaxBatchEvents, time);
    }
}
