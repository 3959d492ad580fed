using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Functions.Storage;
using Journeys.Hosting.Tracking;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Journeys.Functions.Channels;

/// <summary>
/// Built-in tracking in the Functions app and the dev host (DESIGN §9): the shared <see cref="TrackingRewriter"/>
/// and <see cref="TrackingSigner"/> over a secret the app makes itself — 32 random bytes in the <c>secrets</c>
/// table, written once by whichever instance comes first (a conditional insert) and read by all — so no key is
/// ever in configuration or in the template (infra/ stays identity-only). Links point at <c>Tracking:baseUrl</c>
/// (infra/ sets <c>https://{host}/api</c>, where the app's <c>t/o</c> and <c>t/c</c> routes answer); without it,
/// at the first address the host listens on (the dev host).
/// </summary>
public sealed class AzureTracking
{
    private const string Partition = "tracking";
    private const string Row = "hmac";
    private readonly Lazy<TrackingSigner> _signer;
    private readonly Lazy<TrackingRewriter> _rewriter;

    public AzureTracking(IConfiguration configuration, JourneyTables tables, IServiceProvider services)
    {
        _signer = new Lazy<TrackingSigner>(() => new TrackingSigner(LoadOrCreate(tables.Secrets)));
        var baseUrl = configuration["Tracking:baseUrl"];
        _rewriter = new Lazy<TrackingRewriter>(() => new TrackingRewriter(_signer.Value, () => baseUrl
            ?? services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Tracking__baseUrl is not set and the host listens nowhere: tracked mail cannot be sent")));
    }

    public TrackingSigner Signer => _signer.Value;

    /// <summary>The message as the channel gets it (the sending activity calls this).</summary>
    public SendMessage Apply(SendMessage message) => message.Track ? _rewriter.Value.Apply(message) : message;

    private static string LoadOrCreate(TableClient secrets)
    {
        var found = secrets.GetEntityIfExists<TableEntity>(Partition, Row);
        if (found.HasValue && found.Value?.GetString("Value") is { Length: > 0 } existing)
        {
            return existing;
        }
        try
        {
            secrets.AddEntity(new TableEntity(Partition, Row) { ["Value"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // another instance wrote it first: everyone uses that one
        }
        return secrets.GetEntity<TableEntity>(Partition, Row).Value.GetString("Value");
    }
}
