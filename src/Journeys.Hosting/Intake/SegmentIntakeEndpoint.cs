using System.Security.Cryptography;
using System.Text;
using Journeys.Core.Audience;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Journeys.Hosting.Intake;

/// <summary>
/// The Segment HTTP Tracking API (DESIGN §3): <c>POST /v1/batch</c> and <c>/v1/track|identify|page|screen|alias|group</c>,
/// so an app's Segment or RudderStack SDK points at Journeys and changes nothing else. Answers
/// <c>200 {"success":true}</c> as Segment does once the valid calls are durable; every call it could not take is
/// kept with its raw body and reason (<see cref="IEventIntake.KeepRejectedAsync"/>, <c>GET /v1/rejected</c>), since SDKs
/// never read a response body. Auth, when a key is configured: the key as write key (HTTP Basic user name, empty
/// password), <c>writeKey</c> in the body, or <c>X-Api-Key</c>.
/// </summary>
public static class SegmentIntakeEndpoint
{
    /// <summary>What the rejected-events store keeps of one call's body at most.</summary>
    public const int MaxKeptBodyBytes = 64 * 1024;

    public static readonly IReadOnlyList<string> CallRoutes = ["track", "identify", "page", "screen", "alias", "group"];

    /// <summary>Maps the routes on <paramref name="routes"/> (not the <c>/v1</c> group: they do their own auth, by write key).</summary>
    public static void MapSegmentIntake(this IEndpointRouteBuilder routes, IEventIntake intake, string? apiKey, long maxBodyBytes, int maxBatchEvents, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        routes.MapPost("/v1/batch", (HttpRequest request, CancellationToken cancel) => PostAsync(intake, request, null, apiKey, maxBodyBytes, maxBatchEvents, time, cancel));
        foreach (var call in CallRoutes)
        {
            routes.MapPost("/v1/" + call, (HttpRequest request, CancellationToken cancel) => PostAsync(intake, request, call, apiKey, maxBodyBytes, maxBatchEvents, time, cancel));
        }
    }

    /// <param name="call">The route's call type; null for <c>/v1/batch</c>.</param>
    public static async Task<IResult> PostAsync(
        IEventIntake intake, HttpRequest request, string? call, string? apiKey, long maxBodyBytes, int maxBatchEvents, TimeProvider time, CancellationToken cancel)
    {
        var receivedAt = time.GetUtcNow();
        var source = call is null ? "/v1/batch" : "/v1/" + call;
        var (body, notGzip) = await SegmentBody.ReadAsync(request, maxBodyBytes, cancel).ConfigureAwait(false);
        if (notGzip)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "Content-Encoding: only gzip is accepted, and the body must be gzip data");
        }
        if (body is null)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"the body is larger than {maxBodyBytes} bytes (after decompression); send smaller batches");
        }
        EventBatch? batch;
        string? writeKey = null;
        string? notJson;
        if (call is null)
        {
            (batch, writeKey, notJson) = EventBatchReader.ReadEnvelope(body, maxBatchEvents, receivedAt);
        }
        else
        {
            writeKey = WriteKeyOf(body);
            (batch, notJson) = EventBatchReader.Read(body, ndjson: false, maxBatchEvents, new EventReceipt(receivedAt, null, call));
            if (batch is { Count: > 1 } || (batch is not null && body.AsSpan().TrimStart(" \t\r\n"u8).StartsWith("["u8)))
            {
                batch = null;
                notJson = $"{source} takes one call, a JSON object; send arrays to /v1/batch";
            }
        }
        if (!Authorized(request, writeKey, apiKey))
        {
            return ApiResults.Error(StatusCodes.Status401Unauthorized, "missing or wrong write key (HTTP Basic user name, writeKey in the body, or X-Api-Key)");
        }
        if (batch is null)
        {
            await intake.KeepRejectedAsync([Kept(source, notJson!, body)], cancel).ConfigureAwait(false);
            return ApiResults.Error(StatusCodes.Status400BadRequest, notJson!);
        }
        if (batch.Count > maxBatchEvents)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a batch holds at most {maxBatchEvents} calls; send the rest in another request");
        }
        if (batch.Rejected.Count > 0)
        {
            var kept = new List<RejectedCall>(batch.Rejected.Count);
            for (var i = 0; i < batch.Rejected.Count; i++)
            {
                var reason = call is null ? $"batch[{batch.Rejected[i].Index}]: {batch.Rejected[i].Error}" : batch.Rejected[i].Error;
                kept.Add(Kept(source, reason, batch.RejectedBodies[i]));
            }
            // kept before the valid ones are taken: a crash between the two loses nothing (the SDK retries)
            await intake.KeepRejectedAsync(kept, cancel).ConfigureAwait(false);
        }
        if (batch.Events.Count > 0)
        {
            await intake.IngestAsync(batch.Events, cancel).ConfigureAwait(false);
        }
        return ApiResults.Json(SuccessResponse.Instance, ApiJson.Api.SuccessResponse);
    }

    private static RejectedCall Kept(string source, string reason, ReadOnlyMemory<byte> body) =>
        body.Length > MaxKeptBodyBytes ? new RejectedCall(source, reason, body[..MaxKeptBodyBytes], true) : new RejectedCall(source, reason, body);

    private static string? WriteKeyOf(byte[] body)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isKey = reader.ValueTextEquals("writeKey"u8);
                reader.Read();
                if (isKey && reader.TokenType == System.Text.Json.JsonTokenType.String) return reader.GetString();
                reader.Skip();
            }
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
        {
            // not JSON: the parser names it; there is no write key in it
        }
        return null;
    }

    private static bool Authorized(HttpRequest request, string? writeKey, string? apiKey)
    {
        if (apiKey is not { Length: > 0 })
        {
            return true;
        }
        var expected = Encoding.UTF8.GetBytes(apiKey);
        if (Matches(request.Headers[JourneysEndpoints.ApiKeyHeader].ToString(), expected) || (writeKey is not null && Matches(writeKey, expected)))
        {
            return true;
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return Matches(colon < 0 ? pair : pair[..colon], expected);
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return false;
    }

    private static bool Matches(string given, byte[] expected) =>
        given.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected);
}
