using Microsoft.Extensions.Configuration;

namespace Journeys.Functions;

/// <summary>
/// The app settings this app reads (the contract with infra/: names as the Bicep sets them). Secrets
/// never appear here: every service is reached with the app's managed identity.
/// </summary>
public sealed record JourneysSettings(
    Uri? TableServiceUri,
    string? TableConnectionString,
    string? ClientId,
    Uri? AcsEndpoint,
    string? EmailSender,
    string? SmsFrom)
{
    public static JourneysSettings From(IConfiguration configuration) => new(
        Uri(configuration["JourneysStorage:tableServiceUri"]),
        configuration["JourneysStorage:connectionString"],
        configuration["JourneysStorage:clientId"] ?? configuration["AZURE_CLIENT_ID"],
        Uri(configuration["Acs:endpoint"]),
        configuration["Acs:emailSender"],
        configuration["Acs:smsFrom"]);

    private static Uri? Uri(string? value) => string.IsNullOrWhiteSpace(value) ? null : new Uri(value, UriKind.Absolute);
}
