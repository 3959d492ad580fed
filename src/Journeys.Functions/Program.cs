using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Functions;
using Journeys.Functions.Api;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var builder = FunctionsApplication.CreateBuilder(args);
// HTTP triggers on ASP.NET Core: they take HttpRequest and return the shared API's IResult
builder.ConfigureFunctionsWebApplication();

// worker logs go to Application Insights directly (APPLICATIONINSIGHTS_CONNECTION_STRING)
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

var settings = JourneysSettings.From(builder.Configuration);
builder.Services.AddSingleton(settings);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<TokenCredential>(_ => new DefaultAzureCredential(new DefaultAzureCredentialOptions
{
    // a user-assigned identity (AZURE_CLIENT_ID / JourneysStorage__clientId); null = system-assigned or developer sign-in
    ManagedIdentityClientId = settings.ClientId,
}));
builder.Services.AddSingleton(sp => settings.TableConnectionString is { Length: > 0 } connection
    ? new TableServiceClient(connection) // Azurite: UseDevelopmentStorage=true
    : new TableServiceClient(settings.TableServiceUri ?? throw new InvalidOperationException("JourneysStorage__tableServiceUri is not set"), sp.GetRequiredService<TokenCredential>()));
builder.Services.AddSingleton(sp => new JourneyTables(sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<DeadLetters>();
builder.Services.AddSingleton<TableScheduleStore>();
builder.Services.AddSingleton<Retention>();
builder.Services.AddSingleton(sp => sp.GetRequiredService<JourneyTables>().Stores());
builder.Services.AddSingleton<DefinitionCatalog>();
builder.Services.AddSingleton<TableTraceOutput>();
builder.Services.AddSingleton<TableUserPartition>();
builder.Services.AddSingleton(EngineOptions.Default);
builder.Services.AddSingleton(sp => new EnrollmentActivities(
    sp.GetRequiredService<RuntimeStores>(), sp.GetRequiredService<TableUserPartition>(), sp.GetRequiredService<TableTraceOutput>()));
builder.Services.AddSingleton(sp =>
{
    var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Journeys.Orchestration");
    return new EnrollmentOrchestrator(sp.GetRequiredService<EngineOptions>(), decision =>
        log.LogInformation("Enrollment {InstanceId} took {Input}: now {Status} at {Step} ({Effects} effects, generation {Generation})",
            decision.InstanceId, decision.Input, decision.Status, decision.Step, decision.Effects, decision.Generation));
});
builder.Services.AddSingleton<IngestorFactory>();
builder.Services.AddHttpClient(WebhookChannel.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
builder.Services.AddSingleton<AcsChannels>();
builder.Services.AddSingleton<WebhookChannel>();
builder.Services.AddSingleton<ChannelDispatcher>();
builder.Services.AddSingleton<TableJourneysBackend>();
builder.Services.AddSingleton<IMessageDelivery>(sp => sp.GetRequiredService<ChannelDispatcher>());

builder.Build().Run();
