using Grpc.Net.Client;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The Functions app without the Functions host (DESIGN §5): its composition (<see cref="JourneysAzureServices"/>)
/// with two swaps — messages to the outbox file instead of ACS and webhooks, and the Durable client of the
/// sidecar instead of the <c>[DurableClient]</c> binding — its orchestrator and activities on the Durable Task
/// worker (<see cref="FunctionTasks"/>), its Event Hubs handler behind <c>POST /v1/events</c> and the Segment routes, its timer function
/// on a minute clock. Everything durable is in the storage account, so a host killed at any point and started
/// again on the same storage goes on where it was.
/// </summary>
public sealed class DevHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DurableSidecar _sidecar;
    private readonly GrpcChannel _channel;

    private DevHost(WebApplication app, DurableSidecar sidecar, GrpcChannel channel)
    {
        _app = app;
        _sidecar = sidecar;
        _channel = channel;
    }

    public IServiceProvider Services => _app.Services;

    /// <summary>The address the HTTP API listens on (the real port when --urls asked for port 0).</summary>
    public string Url => _app.Urls.First();

    public static async Task<int> RunAsync(DevHostOptions options, CancellationToken cancellation)
    {
        DevHost host;
        try
        {
            host = await StartAsync(options, cancellation);
        }
        catch (DefinitionsException e)
        {
            Console.Error.WriteLine(e.Message);
            return 1;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            Console.Error.WriteLine($"--settings: {e.Message}");
            return 1;
        }
        if (options.ParentProcessId is { } parent)
        {
            _ = ExitWithAsync(parent);
        }
        await using (host)
        {
            await host._app.WaitForShutdownAsync(cancellation);
        }
        return 0;
    }

    public static async Task<DevHost> StartAsync(DevHostOptions options, CancellationToken cancellation)
    {
        // the app's Table calls are synchronous (ingestion, LoadContext, Apply): each holds a pool thread for a
        // storage round trip, so without this the pool grows by about one thread a second under load
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, options.Concurrency), Math.Max(io, options.Concurrency));
        // the send policies first: settings the Azure runtime would refuse stop the dev host before anything starts
        var policies = JourneysSettings.ReadPolicies(options.Settings, Directory.GetCurrentDirectory());
        var sidecar = await DurableSidecar.StartAsync(options, ConfigureLogging, cancellation);
        var channel = GrpcChannel.ForAddress(sidecar.Address);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ConfigureLogging(builder.Logging);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = DevHostEndpoints.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));

        builder.Services.AddJourneysAzure(new JourneysSettings(null, options.Storage, null, null, null, null, policies), options.TablePrefix);
        var outbox = new OutboxFileChannel(options.Outbox);
        builder.Services.AddSingleton(outbox);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageDelivery>(outbox));

        var services = new ServiceProviderHolder();
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(channel);
            worker.AddTasks(registry => FunctionTasks.Register(registry, typeof(EnrollmentFunctions).Assembly, services));
            worker.Configure(o =>
            {
                // the default is 100 per core for each; set, like the sidecar's, to the one number the host is tuned with
                o.Concurrency.MaximumConcurrentOrchestrationWorkItems = options.Concurrency;
                o.Concurrency.MaximumConcurrentActivityWorkItems = options.Concurrency;
            });
        });
        builder.Services.AddDurableTaskClient(client =>
        {
            client.UseGrpc(channel);
            client.RegisterDirectly();
        });
        builder.Services.AddSingleton<EventIngestion>();
        builder.Services.AddSingleton<DevHostIntake>();
        builder.Services.AddSingleton<ScheduledFunctions>();
        builder.Services.AddHostedService<ScheduledRunner>();

        var app = builder.Build();
        services.Services = app.Services;
        DevHostEndpoints.Map(app, options.ApiKey);

        var (published, problems) = DefinitionSeeder.Seed(options.Definitions, app.Services.GetRequiredService<DefinitionCatalog>());
        if (problems.Count > 0)
        {
            await app.DisposeAsync();
            await sidecar.DisposeAsync();
            channel.Dispose();
            throw new DefinitionsException(string.Join('\n', problems.Select(p => p.ToString())));
        }
        await app.StartAsync(cancellation);
        var functions = FunctionTasks.Find(typeof(EnrollmentFunctions).Assembly).Count();
        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Journeys.DevHost").LogInformation(
            "Dev host on {Url}: task hub {TaskHub}, {Functions} orchestrator and activity functions, {Published} journeys published, outbox {Outbox} ({Sent} sent before)",
            app.Urls.First(), options.TaskHub, functions, published.Count, outbox.Path, outbox.Count);
        return new DevHost(app, sidecar, channel);
    }

    public async ValueTask DisposeAsync()
    {
        // the worker first (it holds the sidecar's work-item stream), then the sidecar
        await _app.StopAsync();
        await _app.DisposeAsync();
        _channel.Dispose();
        await _sidecar.DisposeAsync();
    }

    /// <summary>Ends this process, abruptly, once <paramref name="parent"/> has gone (a killed test run leaves no dev host behind).</summary>
    private static async Task ExitWithAsync(int parent)
    {
        while (true)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(parent);
                if (process.HasExited)
                {
                    break;
                }
            }
            catch (ArgumentException)
            {
                break; // no such process
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Environment.Exit(3);
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        // Durable, gRPC and ASP.NET Core log per work item and per request: warnings only
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddFilter("DurableTask", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
    }
}
