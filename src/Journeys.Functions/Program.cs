using Journeys.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
// HTTP triggers on ASP.NET Core: they take HttpRequest and return the shared API's IResult
builder.ConfigureFunctionsWebApplication();

// worker logs go to Application Insights directly (APPLICATIONINSIGHTS_CONNECTION_STRING)
builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();

// the composition shared with the dev host
builder.Services.AddJourneysAzure(JourneysSettings.From(builder.Configuration));

builder.Build().Run();
