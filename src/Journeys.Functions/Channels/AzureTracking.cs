using Journeys.Core.Engine;
using Journeys.Hosting.Tracking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.Channels;

/// <summary>
/// Built-in tracking in the Functions app and the dev host (DESIGN §9), the shared <see cref="TrackingRewriter"/>
/// configured from <c>Tracking:secret</c> (an app setting; infra/ sets it from a Key Vault reference… or azd's
/// generated value) and <c>Tracking:baseUrl</c> (default <c>https://{WEBSITE_HOSTNAME}/api</c>, where the app's
/// <c>t/o</c> and <c>t/c</c> routes answer). Without a secret there is no tracking: tracked mail goes as written,
/// with a warning, and every tracking link is unknown.
/// </summary>
public sealed class AzureTracking
{
    private readonly TrackingRewriter? _rewriter;
    private readonly ILogger _log;

    public AzureTracking(IConfiguration configuration, ILogger<AzureTracking> log)
    {
        _log = log;
        var secret = configuration["Tracking:secret"];
        var baseUrl = configuration["Tracking:baseUrl"]
            ?? (configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host ? $"https://{host}/api" : null);
        if (secret is { Length: > 0 })
        {
            Signer = new TrackingSigner(secret);
            if (baseUrl is not null)
            {
                _rewriter = new TrackingRewriter(Signer, () => baseUrl);
            }
        }
    }

    /// <summary>Null when no secret is configured.</summary>
    public TrackingSigner? Signer { get; }

    /// <summary>The message as the channel gets it (the send activity calls this).</summary>
    public SendMessage Apply(SendMessage message)
    {
        if (!message.Track)
        {
            return message;
        }
        if (_rewriter is null)
        {
            _log.LogWarning("Message {IdempotencyKey} of journey {Journey} asks for tracking but Tracking__secret or Tracking__baseUrl is not set: sent untracked",
                message.IdempotencyKey, message.JourneyId);
            return message;
        }
        return _rewriter.Apply(message);
    }
}
