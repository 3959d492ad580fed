using Journeys.Core.Definitions;
using Journeys.Functions.Storage;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Journeys.Functions.Api;

/// <summary>
/// The admin and read routes of DESIGN §6 under <c>/api</c> (function keys: AuthorizationLevel.Function;
/// <c>healthz</c> anonymous): each trigger hands its request to the shared <see cref="JourneysApi"/> over
/// <see cref="TableJourneysBackend"/>, so the shapes, codes and errors are serve's. The worker's ASP.NET
/// Core integration executes the returned <see cref="IResult"/>.
/// </summary>
public sealed class JourneyApi(TableJourneysBackend backend, DefinitionCatalog catalog, TimeProvider time)
{
    [Function("Healthz")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request) =>
        JourneysApi.HealthAsync(backend, request.HttpContext.RequestAborted);

    [Function("ListJourneys")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys")] HttpRequest request) =>
        JourneysApi.ListAsync(backend, request.HttpContext.RequestAborted);

    [Function("GetJourney")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys/{id}")] HttpRequest request, string id) =>
        JourneysApi.GetAsync(backend, id, request.HttpContext.RequestAborted);

    [Function("PublishJourney")]
    public Task<IResult> Publish([HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/journeys/{id}")] HttpRequest request, string id) =>
        JourneysApi.PublishAsync(backend, id, request, request.HttpContext.RequestAborted);

    [Function("PauseJourney")]
    public Task<IResult> Pause([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/pause")] HttpRequest request, string id) =>
        JourneysApi.ControlAsync(backend, id, JourneyCommand.Pause, request.HttpContext.RequestAborted);

    [Function("ResumeJourney")]
    public Task<IResult> Resume([HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/resume")] HttpRequest request, string id) =>
        JourneysApi.ControlAsync(backend, id, JourneyCommand.Resume, request.HttpContext.RequestAborted);

    [Function("StopJourney")]
    public Task<IResult> Stop(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "v1/journeys/{id}/stop")] HttpRequest request,
        [DurableClient] DurableTaskClient durable,
        string id) =>
        JourneysApi.ControlAsync(backend.With(durable), id, JourneyCommand.Stop, request.HttpContext.RequestAborted);

    [Function("JourneyStats")]
    public Task<IResult> Stats([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/journeys/{id}/stats")] HttpRequest request, string id) =>
        JourneysApi.StatsAsync(backend, id, request.HttpContext.RequestAborted);

    [Function("Trace")]
    public Task<IResult> Trace([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/trace")] HttpRequest request) =>
        JourneysApi.TraceAsync(backend, request, request.HttpContext.RequestAborted);

    [Function("Rejected")]
    public Task<IResult> Rejected([HttpTrigger(AuthorizationLevel.Function, "get", Route = "v1/rejected")] HttpRequest request) =>
        JourneysApi.RejectedAsync(backend, request, time, request.HttpContext.RequestAborted);

        /// <summary>Segments are published here (serve reads them from its folder): validated alone, stored as given.</summary>
    [Function("PublishSegment")]
    public async Task<IResult> PublishSegment([HttpTrigger(AuthorizationLevel.Function, "put", Route = "v1/segments/{id}")] HttpRequest request, string id)
    {
        if (await RequestBody.ReadAsync(request, DefinitionLoader.MaxFileBytes, request.HttpContext.RequestAborted) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a definition is at most {DefinitionLoader.MaxFileBytes / 1024 / 1024} MiB");
        }
        var json = System.Text.Encoding.UTF8.GetString(body);
        var read = DefinitionReader.ReadSegment(id + DefinitionLoader.SegmentSuffix, json);
        if (read.Definition is null || read.Definition.Id != id)
        {
            return ApiResults.Json(
                new ErrorResponse($"segment '{id}' is invalid; nothing was published",
                    read.Problems.Select(p => new ProblemItem(p.File, p.Path, p.Message)).DefaultIfEmpty(new ProblemItem(id + DefinitionLoader.SegmentSuffix, "$.id", "the id does not match the route")).ToList()),
                ApiJson.Api.ErrorResponse, StatusCodes.Status400BadRequest);
        }
        catalog.PublishSegment(id, json);
        return Results.NoContent();
    }
}
