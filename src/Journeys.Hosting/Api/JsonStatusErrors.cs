using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Journeys.Hosting.Api;

/// <summary>Routing's own bodiless answers (404 no route, 405 wrong method) as <c>{"error": ...}</c>, like every other error.</summary>
public static class JsonStatusErrors
{
    public static IApplicationBuilder UseJsonStatusErrors(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var message = http.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => $"no route {http.Request.Method} {http.Request.Path}",
                StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}",
                var status => $"HTTP {status}",
            };
            http.Response.ContentType = "application/json; charset=utf-8";
            await System.Text.Json.JsonSerializer.SerializeAsync(http.Response.Body, new ErrorResponse(message), ApiJson.Api.ErrorResponse, http.RequestAborted).ConfigureAwait(false);
        });
}
