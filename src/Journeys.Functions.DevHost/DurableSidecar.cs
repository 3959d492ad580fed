using System.Net;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Journeys.Functions.DevHost;

/// <summary>
/// Durable's engine without the Functions host: the Durable Task sidecar (<see cref="TaskHubGrpcServer"/>, the
/// gRPC service the Functions host's Durable extension also speaks to its isolated worker) over Durable's own
/// Azure Storage backend (<see cref="AzureStorageOrchestrationService"/>), on an HTTP/2 loopback port of its own.
/// The sidecar's dispatchers lock work items from the task hub's queues and stream them to the one connected
/// worker; the worker's answers are committed back to storage by the backend. Concurrency is set here
/// explicitly: the dispatchers take the backend's MaxConcurrent* settings, and poll every 500 ms when full.
/// </summary>
public sealed class DurableSidecar : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DurableSidecar(WebApplication app, AzureStorageOrchestrationService service, string address)
    {
        _app = app;
        Service = service;
        Address = address;
    }

    /// <summary>The gRPC address the worker and client connect to (http://127.0.0.1:port).</summary>
    public string Address { get; }

    public AzureStorageOrchestrationService Service { get; }

    public static AzureStorageOrchestrationServiceSettings Settings(DevHostOptions options, ILoggerFactory logs) => new()
    {
        TaskHubName = options.TaskHub,
        StorageAccountClientProvider = new StorageAccountClientProvider(options.Storage),
        LoggerFactory = logs,
        // one worker owns every partition; more partitions = more control queues polled and locked in parallel
        PartitionCount = options.Partitions,
        MaxConcurrentTaskOrchestrationWorkItems = options.Concurrency,
        MaxConcurrentTaskActivityWorkItems = options.Concurrency,
        // storage requests in flight at once (25 per core by default): the backend's own throttle
        MaxStorageOperationConcurrency = Math.Max(100, options.Concurrency),
        // an idle queue is polled with back-off up to this; 30 s by default, which would delay timers and
        // the first message after a quiet spell by as much
        MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
        // a message dequeued by a process that was then killed comes back after this; 5 min by default, which
        // left enrollments stuck for as long after a kill -9 (an ExecutionStarted whose episode's activity had
        // already gone out: its result waits, "out of order", for the history that only the redelivery writes).
        // The sidecar does not renew locks, so this must also exceed the longest activity (webhooks: 10 s).
        ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        // the same worker id across restarts, so a restarted dev host is the owner of its own partition leases
        WorkerId = "devhost-" + options.TaskHub,
    };

    public static async Task<DurableSidecar> StartAsync(DevHostOptions options, Action<ILoggingBuilder> logging, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        logging(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2)); // gRPC without TLS: HTTP/2 only
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.Services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = 16 * 1024 * 1024);
        builder.Services.AddSingleton(sp => new AzureStorageOrchestrationService(Settings(options, sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        builder.Services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        builder.Services.AddSingleton<TaskHubGrpcServer>();
        var app = builder.Build();
        app.MapGrpcService<TaskHubGrpcServer>();

        var service = app.Services.GetRequiredService<AzureStorageOrchestrationService>();
        _ = app.Services.GetRequiredService<TaskHubGrpcServer>(); // created now: it starts its dispatchers on ApplicationStarted
        await service.CreateIfNotExistsAsync(); // queues, tables and lease blobs of the task hub
        await app.StartAsync(cancellation);
        var address = app.Urls.Single().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return new DurableSidecar(app, service, address);
    }

    public async ValueTask DisposeAsync()
    {
        // the worker has gone by now; the sidecar's own stop waits for its dispatchers, bounded by the host's timeout
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // shutting down anyway: whatever was in flight is in storage and runs again on the next start
        }
        await _app.DisposeAsync();
    }
}
