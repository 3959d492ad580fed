using Journeys.Core.Engine;
using Journeys.Hosting.Settings;
using Microsoft.Extensions.Configuration;

namespace Journeys.Functions;

/// <summary>
/// The app settings this app reads (the contract with infra/: names as the Bicep sets them). Secrets
/// never appear here: every service is reached with the app's managed identity.
/// </summary>
/// <param name="Policies">The send policies (<c>Journeys__settings</c>, serve's settings JSON); null: none.</param>
public sealed record JourneysSettings(
    Uri? TableServiceUri,
    string? TableConnectionString,
    string? ClientId,
    Uri? AcsEndpoint,
    string? EmailSender,
    string? SmsFrom,
    EngineOptions? Policies = null)
{
    /// <summary>The app setting of the send policies: the settings JSON itself, or a file path relative to the app's folder.</summary>
    public const string PoliciesSetting = "Journeys__settings";

    /// <exception cref="InvalidDataException">The send policies have problems, or ask for what the Azure runtime does not apply (<see cref="Policies"/>).</exception>
    public static JourneysSettings From(IConfiguration configuration) => new(
        Uri(configuration["JourneysStorage:tableServiceUri"]),
        configuration["JourneysStorage:connectionString"],
        configuration["JourneysStorage:clientId"] ?? configuration["AZURE_CLIENT_ID"],
        Uri(configuration["Acs:endpoint"]),
        configuration["Acs:emailSender"],
        configuration["Acs:smsFrom"],
        ReadPolicies(configuration["Journeys:settings"]));

    /// <summary>
    /// The send policies from a setting's value (JSON or a file), refused — the app does not start — when they have
    /// problems, so none is silently ignored.
    /// </summary>
    /// <param name="baseDirectory">Where a relative file path is looked for: the app's folder by default (on Azure, the deployed package).</param>
    /// <exception cref="InvalidDataException">The problems, one a line.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static EngineOptions ReadPolicies(string? value, string? baseDirectory = null) =>
        SendPolicySettings.Load(PoliciesSetting, value, baseDirectory ?? AppContext.BaseDirectory);

    private static Uri? Uri(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value, UriKind.Absolute);
}
