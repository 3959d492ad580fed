using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Functions.Api;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions;

/// <summary>
/// The app's composition, written once: the Functions app (Program.cs) and the dev host
/// (src/Journeys.Functions.DevHost) both call it; the dev host then replaces only what differs there.
/// </summary>
public static class JourneysAzureServices
{
    /// <param name="tablePrefix">Prepended to every table name (the dev host's tests keep each run apart); none on Azure.</param>
    public static IServiceCollection AddJourneysAzure(this IServiceCollection services, JourneysSettings settings, string? tablePrefix = null)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            // a user-assigned identity (AZURE_CLIENT_ID / JourneysStorage__clientId); null = system-assigned or developer sign-in
            ManagedIdentityClientId = settings.ClientId,
        }));
        services.AddSingleton(sp => settings.TableConnectionString is { Length: > 0 } connection
            ? new TableServiceClient(connection) // Azurite: UseDevelopmentStorage=true
            : new TableServiceClient(settings.TableServiceUri ?? throw new InvalidOperationException("JourneysStorage__tableServiceUri is not set"), sp.GetRequiredService<TokenCredential>()));
        services.AddSingleton(sp => new JourneyTables(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>(), tablePrefix));
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<TableScheduleStore>();
        services.AddSingleton<Retention>();
        services.AddSingleton(sp => sp.GetRequiredService<JourneyTables>().Stores());
        services.AddSingleton<DefinitionCatalog>();
        services.AddSingleton<TableTraceOutput>();
        services.AddSingleton<TableUserPartition>();
        services.AddSingleton<TableEntryCounters>();
        services.AddSingleton<TableRateSlots>();
        services.AddSingleton<TableExperimentCounters>();
        services.AddSingleton(settings.Policies ?? EngineOptions.Default); // the send policies of Journeys__settings, read once at startup
        services.AddSingleton(sp => new EnrollmentActivities(
            sp.GetRequiredService<RuntimeStores>(), sp.GetRequiredService<TableUserPartition>(), sp.GetRequiredService<TableTraceOutput>(),
            sp.GetRequiredService<DefinitionCatalog>().Source, sp.GetRequiredService<TableRateSlots>(), sp.GetRequiredService<TableExperimentCounters>()));
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Journeys.Orchestration");
            return new EnrollmentOrchestrator(sp.GetRequiredService<EngineOptions>(), decision =>
                log.LogInformation("Enrollment {InstanceId} took {Input}: now {Status} at {Step} ({Effects} effects, generation {Generation})",
                    decision.InstanceId, decision.Input, decision.Status, decision.Step, decision.Effects, decision.Generation));
        });
        services.AddSingleton<IngestorFactory>();
        services.AddHttpClient(WebhookChannel.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<AcsMessageMap>();
        services.AddSingleton<AzureTracking>();
        services.AddSingleton<AcsChannels>();
        services.AddSingleton<WebhookChannel>();
        services.AddSingleton<ChannelDispatcher>();
        services.AddSingleton<IMessageDelivery>(sp => sp.GetRequiredService<ChannelDispatcher>());
        services.AddSingleton<TableJourneysBackend>();
        return services;
    }
}
