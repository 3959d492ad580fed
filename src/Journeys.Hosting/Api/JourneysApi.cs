using System.Globalization;
using System.Text;
using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Hosting.Publishing;
using Journeys.Hosting.Stats;
using Microsoft.AspNetCore.Http;

namespace Journeys.Hosting.Api;

/// <summary>
/// The admin and read routes of DESIGN §6, one implementation: each handler reads the request, asks an
/// <see cref="IJourneysBackend"/> and shapes the answer. <see cref="JourneysEndpoints.MapJourneysApi"/> maps
/// them as minimal APIs (serve, the dev host); the Functions app's HTTP triggers call them and return the
/// <see cref="IResult"/> (ASP.NET Core integration).
/// </summary>
public static class JourneysApi
{
    public const int DefaultTraceLimit = 1_000;
    public const int MaxTraceLimit = 10_000;

    public static async Task<IResult> HealthAsync(IJourneysBackend backend, CancellationToken cancel) =>
        ApiResults.Json(await backend.HealthAsync(cancel).ConfigureAwait(false), ApiJson.Api.HealthResponse);

    public static async Task<IResult> ListAsync(IJourneysBackend backend, CancellationToken cancel) =>
        ApiResults.Json(await backend.ListAsync(cancel).ConfigureAwait(false), ApiJson.Api.IReadOnlyListJourneySummary);

    public static async Task<IResult> GetAsync(IJourneysBackend backend, string id, CancellationToken cancel)
    {
        if (await backend.GetAsync(id, cancel).ConfigureAwait(false) is not { } stored)
        {
            return ApiResults.UnknownJourney(id);
        }
        using var definition = JsonDocument.Parse(stored.Definition);
        var j = stored.Journey;
        return ApiResults.Json(new JourneyDetail(j.Id, j.Name, j.Version, j.Status, stored.Versions, definition.RootElement.Clone()), ApiJson.Api.JourneyDetail);
    }

    public static async Task<IResult> PublishAsync(IJourneysBackend backend, string id, HttpRequest request, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(request, DefinitionLoader.MaxFileBytes, cancel).ConfigureAwait(false) is not { } body)
        {
            return ApiResults.Error(StatusCodes.Status413PayloadTooLarge, $"a definition is at most {DefinitionLoader.MaxFileBytes / 1024 / 1024} MiB");
        }
        string json;
        try
        {
            json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "the body is not UTF-8 text");
        }
        var outcome = await backend.PublishAsync(id, json, cancel).ConfigureAwait(false);
        if (outcome.Version is not { } version)
        {
            return ApiResults.Json(
                new ErrorResponse($"journey '{id}' is invalid; nothing was published", outcome.Problems.Select(p => new ProblemItem(p.File, p.Path, p.Message)).ToList()),
                ApiJson.Api.ErrorResponse, StatusCodes.Status400BadRequest);
        }
        return ApiResults.Json(new PublishResponse(id, version, outcome.Created, outcome.Status), ApiJson.Api.PublishResponse,
            outcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    public static async Task<IResult> ControlAsync(IJourneysBackend backend, string id, JourneyCommand command, CancellationToken cancel) =>
        await backend.ControlAsync(id, command, cancel).ConfigureAwait(false) is { } journey
            ? ApiResults.Json(journey, ApiJson.Api.JourneySummary)
            : ApiResults.UnknownJourney(id);

    public static async Task<IResult> StatsAsync(IJourneysBackend backend, string id, CancellationToken cancel)
    {
        if (await backend.CountsAsync(id, cancel).ConfigureAwait(false) is not { } counts)
        {
            return ApiResults.UnknownJourney(id);
        }
        // the readout needs the experiments' settings (which path is the control): the current version's
        var stored = await backend.GetAsync(id, cancel).ConfigureAwait(false);
        var definition = stored is null ? null : DefinitionReader.ReadJourney(PublishRules.FileOf(id), stored.Definition).Definition;
        return ApiResults.Json(JourneyStatsBuilder.Build(counts, definition), ApiJson.Api.JourneyStats);
    }

    /// <summary><c>GET /v1/trace?user=&amp;journey=&amp;since=&amp;limit=&amp;after=</c>: JSON lines, oldest first; <c>X-Trace-Last</c> pages on.</summary>
    public static async Task<IResult> TraceAsync(IJourneysBackend backend, HttpRequest request, CancellationToken cancel)
    {
        var query = request.Query;
        DateTimeOffset? since = null;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!EventParser.TryParseTimestamp(sinceText, out var parsed))
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, $"since: '{sinceText}' is not an ISO 8601 date-time with an offset");
            }
            since = parsed;
        }
        var limit = DefaultTraceLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxTraceLimit))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"limit: must be a whole number from 1 to {MaxTraceLimit}");
        }
        var after = query["after"].ToString() is { Length: > 0 } a ? a : null;
        var user = query["user"].ToString() is { Length: > 0 } u ? u : null;
        var journey = query["journey"].ToString() is { Length: > 0 } j ? j : null;
        var page = await backend.TraceAsync(new TraceQuery(user, journey, since, after, limit), cancel).ConfigureAwait(false);
        return page is null
            ? ApiResults.Error(StatusCodes.Status400BadRequest, "after: must be the X-Trace-Last header of an earlier page")
            : new TraceLinesResult(page);
    }

    public const int DefaultRejectedLimit = 100;
    public const int MaxRejectedLimit = 1_000;
    public static readonly TimeSpan DefaultRejectedWindow = TimeSpan.FromDays(7);

    /// <summary><c>GET /v1/rejected?since=&amp;limit=&amp;after=</c>: rejected events with their reason and raw body (the last 7 days unless <c>since</c>).</summary>
    public static async Task<IResult> RejectedAsync(IJourneysBackend backend, HttpRequest request, TimeProvider time, CancellationToken cancel)
    {
        var query = request.Query;
        var since = time.GetUtcNow() - DefaultRejectedWindow;
        if (query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!EventParser.TryParseTimestamp(sinceText, out since))
            {
                return ApiResults.Error(StatusCodes.Status400BadRequest, $"since: '{sinceText}' is not an ISO 8601 date-time with an offset");
            }
        }
        var limit = DefaultRejectedLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxRejectedLimit))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, $"limit: must be a whole number from 1 to {MaxRejectedLimit}");
        }
        var after = query["after"].ToString() is { Length: > 0 } a ? a : null;
        return await backend.RejectedAsync(new RejectedQuery(since, after, limit), cancel).ConfigureAwait(false) is { } list
            ? ApiResults.Json(list, ApiJson.Api.RejectedList)
            : ApiResults.Error(StatusCodes.Status404NotFound, "this runtime keeps no rejected events: POST /v1/events answers each by index");
    }

    /// <summary>The records as JSON lines, and the paging header.</summary>
    private sealed class TraceLinesResult(TracePage page) : IResult
    {
        public Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/x-ndjson; charset=utf-8";
            if (page.Last is { } last)
            {
                // for paging: ?after= this value returns the next records
                context.Response.Headers["X-Trace-Last"] = last;
            }
            var text = new StringBuilder();
            foreach (var record in page.Records)
            {
                text.Append(record).Append('\n');
            }
            return context.Response.WriteAsync(text.ToString(), context.RequestAborted);
        }
    }
}
