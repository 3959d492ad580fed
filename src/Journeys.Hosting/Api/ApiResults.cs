using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Journeys.Hosting.Api;

/// <summary>The one way responses are written: JSON through <see cref="ApiJson"/>, errors as <c>{"error": ...}</c>.</summary>
public static class ApiResults
{
    public static IResult Json<T>(T value, JsonTypeInfo<T> type, int status = StatusCodes.Status200OK) =>
        Results.Json(value, type, statusCode: status);

    public static IResult Error(int status, string message) =>
        Results.Json(new ErrorResponse(message), ApiJson.Api.ErrorResponse, statusCode: status);

    public static IResult UnknownJourney(string id) => Error(StatusCodes.Status404NotFound, $"no journey '{id}'");
}
