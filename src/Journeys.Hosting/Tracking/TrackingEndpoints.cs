using Journeys.Core.Audience;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Hosting.Tracking;

/// <summary>Hands an engagement event to the runtime's ingestion, like any other event of its user; completes once durable.</summary>
public delegate Task EngagementIngest(HttpContext context, CustomerEvent engagement, CancellationToken cancel);

/// <summary>
/// The tracking routes, anonymous (a mail client has no key): <c>GET /t/o/{token}</c> answers a 1x1 GIF and
/// records <c>Email Opened</c>; <c>GET /t/c/{token}?u={url}</c> records <c>Email Link Clicked</c> and redirects
/// (302) to <c>u</c> only when the token's signed hash is that URL's — never an open redirect. A token that is
/// forged, changed, of the other kind, or a URL that is not the message's: 404 JSON, nothing recorded. The event's
/// id is derived from token + kind, so a second hit is a duplicate the runtime drops.
/// </summary>
public static class TrackingEndpoints
{
    public const string OpenPrefix = "/t/o/";
    public const string ClickPrefix = "/t/c/";

    /// <summary>A transparent 1x1 GIF.</summary>
    public static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    /// <summary>Maps both routes (serve, the dev host).</summary>
    /// <param name="signer">Asked at each hit (the dev host reads its key from storage on first use); null: every token is unknown.</param>
    public static void MapTracking(this IEndpointRouteBuilder routes, Func<TrackingSigner?> signer, EngagementIngest ingest, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        routes.MapGet(OpenPrefix + "{token}", (HttpContext context, string token) => HitAsync(context, signer(), ingest, time, TrackingKind.Open, token, null));
        routes.MapGet(ClickPrefix + "{token}", (HttpContext context, string token, string? u) => HitAsync(context, signer(), ingest, time, TrackingKind.Click, token, u));
    }

    /// <summary>One hit (the Functions app's HTTP triggers call this too).</summary>
    public static async Task<IResult> HitAsync(HttpContext context, TrackingSigner? signer, EngagementIngest ingest, TimeProvider time,
        TrackingKind kind, string token, string? url)
    {
        if (signer?.TryRead(token) is not { } read || read.Kind != kind
            || (kind == TrackingKind.Click && (url is null || TrackingSigner.UrlHash(url) != read.UrlHash)))
        {
            return ApiResults.Error(StatusCodes.Status404NotFound, "unknown tracking link");
        }
        var sent = new EngagementEvents.Sent(read.Journey, read.User, read.Enrollment, read.Step, "email", read.MessageKey);
        var engagement = EngagementEvents.Create(kind == TrackingKind.Open ? EngagementEvents.EmailOpened : EngagementEvents.EmailLinkClicked,
            sent, EngagementEvents.EventId(kind == TrackingKind.Open ? "t-o" : "t-c", token), time.GetUtcNow(), url);
        try
        {
            await ingest(context, engagement, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the reader still gets their page or pixel; the hit is lost, and the log says so (type only: no content)
            context.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger(typeof(TrackingEndpoints))
                .LogError("Tracking hit on journey {Journey} step {Step} not recorded: {Error}", read.Journey, read.Step, e.GetType().Name);
        }
        context.Response.Headers.CacheControl = "no-store, no-cache, must-revalidate, private";
        return kind == TrackingKind.Open ? Results.Bytes(Pixel, "image/gif") : Results.Redirect(url!, permanent: false);
    }
}
