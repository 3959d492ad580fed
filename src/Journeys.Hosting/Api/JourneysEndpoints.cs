using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Hosting.Api;

/// <summary>Maps <see cref="JourneysApi"/> as minimal APIs: <c>/healthz</c> and the <c>/v1</c> admin and read routes.</summary>
public static class JourneysEndpoints
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>Maps the routes over <paramref name="backend"/>.</summary>
    /// <param name="apiKey">When set, every <c>/v1</c> route needs it in the <c>X-Api-Key</c> header.</param>
    /// <param name="time">The clock of defaults relative to now (the rejected events' window).</param>
    /// <returns>The <c>/v1</c> group, for a runtime's own routes (serve's <c>POST /v1/events</c>) under the same key.</returns>
    public static RouteGroupBuilder MapJourneysApi(this IEndpointRouteBuilder routes, IJourneysBackend backend, string? apiKey = null, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        routes.MapGet("/healthz", (CancellationToken cancel) => JourneysApi.HealthAsync(backend, cancel));

        var v1 = routes.MapGroup("/v1");
        if (apiKey is { Length: > 0 })
        {
            var expected = Encoding.UTF8.GetBytes(apiKey);
            v1.AddEndpointFilter(async (context, next) =>
            {
                var given = context.HttpContext.Request.Headers[ApiKeyHeader].ToString();
                return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected)
                    ? await next(context).ConfigureAwait(false)
                    : ApiResults.Error(StatusCodes.Status401Unauthorized, $"missing or wrong {ApiKeyHeader} header");
            });
        }
        v1.MapGet("/journeys", (CancellationToken cancel) => JourneysApi.ListAsync(backend, cancel));
        v1.MapGet("/journeys/{id}", (string id, CancellationToken cancel) => JourneysApi.GetAsync(backend, id, cancel));
        v1.MapPut("/journeys/{id}", (string id, HttpRequest request, CancellationToken cancel) => JourneysApi.PublishAsync(backend, id, request, cancel));
        v1.MapPost("/journeys/{id}/pause", (string id, CancellationToken cancel) => JourneysApi.ControlAsync(backend, id, JourneyCommand.Pause, cancel));
        v1.MapPost("/journeys/{id}/resume", (string id, CancellationToken cancel) => JourneysApi.ControlAsync(backend, id, JourneyCommand.Resume, cancel));
        v1.MapPost("/journeys/{id}/stop", (string id, CancellationToken cancel) => JourneysApi.ControlAsync(backend, id, JourneyCommand.Stop, cancel));
        v1.MapGet("/journeys/{id}/stats", (string id, CancellationToken cancel) => JourneysApi.StatsAsync(backend, id, cancel));
        v1.MapGet("/trace", (HttpRequest request, CancellationToken cancel) => JourneysApi.TraceAsync(backend, request, cancel));
        v1.MapGet("/rejected", (HttpRequest request, CancellationToken cancel) => JourneysApi.RejectedAsync(backend, request, time, cancel));
        return v1;
    }

    /// <summary>Maps the routes over the <typeparamref name="TBackend"/> registered in the app's services (the dev host: the Functions app's Table backend), on the registered TimeProvider if any.</summary>
    public static RouteGroupBuilder MapJourneysApi<TBackend>(this IEndpointRouteBuilder routes, string? apiKey = null)
        where TBackend : IJourneysBackend =>
        routes.MapJourneysApi(routes.ServiceProvider.GetRequiredService<TBackend>(), apiKey, routes.ServiceProvider.GetService<TimeProvider>());
}
