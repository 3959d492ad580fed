using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;
using Journeys.Functions.Channels;
using Journeys.Functions.Durable;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// The Functions app's own orchestrator and activities (<see cref="EnrollmentFunctions"/>) and its ingestion
/// (<see cref="EventIngestion"/>) on the real Durable Task engine: the worker over gRPC to a sidecar whose
/// backend is the test host's in-memory service or Durable's Azure Storage provider on Azurite (a task hub of
/// its own). The app's tables are on Azurite too, in tables of their own; deliveries are recorded.
/// </summary>
internal sealed class RealEngineHost : IAsyncDisposable
{
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(15);

    private readonly List<Func<Task>> _stops = [];

    private RealEngineHost(Azurite azurite, SettableClock clock, int maxIterations, EngineOptions options)
    {
        Azurite = azurite;
        Clock = clock;
        Catalog = new DefinitionCatalog(azurite.Tables, TimeProvider.System);
        Users = new TableUserPartition(azurite.Tables);
        Traces = new TableTraceOutput(azurite.Tables);
        Experiments = new TableExperimentCounters(azurite.Tables);
        Ingestors = new IngestorFactory(Catalog, Users, Traces, new TableEntryCounters(azurite.Tables), Experiments);
        Ingestion = new EventIngestion(Ingestors, new DeadLetters(azurite.Tables, TimeProvider.System), clock, NullLogger<EventIngestion>.Instance);
        var orchestrator = new EnrollmentOrchestrator(options, Decisions.Enqueue) { MaxIterations = maxIterations };
        RateSlots = new TableRateSlots(azurite.Tables, clock);
        var activities = new EnrollmentActivities(azurite.Tables.Stores(), Users, Traces, Catalog.Source, RateSlots, Experiments);
        Tracking = new AzureTracking(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tracking:baseUrl"] = "https://journeys.test/api",
        }).Build(), azurite.Tables, new ServiceCollection().BuildServiceProvider());
        Functions = new EnrollmentFunctions(orchestrator, activities, Users, Delivery, Ingestors, NullLogger<EnrollmentFunctions>.Instance, Tracking);
    }

    public Azurite Azurite { get; }

    public AzureTracking Tracking { get; }

    public SettableClock Clock { get; }

    public DefinitionCatalog Catalog { get; }

    public TableUserPartition Users { get; }

    public TableTraceOutput Traces { get; }

    public TableExperimentCounters Experiments { get; }

    public IngestorFactory Ingestors { get; }

    public EventIngestion Ingestion { get; }

    public EnrollmentFunctions Functions { get; }

    public TableRateSlots RateSlots { get; }

    public RecordingDelivery Delivery { get; } = new();

    public ConcurrentQueue<EnrollmentDecision> Decisions { get; } = new();

    public DurableTaskClient Client { get; private set; } = null!;

    /// <param name="sources">Journey and segment files as (name, JSON): published through the catalog as the admin API does.</param>
    /// <param name="options">The send policies the orchestrator decides with (the app's come from <c>Journeys__settings</c>); none by default.</param>
    public static async Task<RealEngineHost> StartAsync(Backend backend, IEnumerable<(string File, string Json)> sources, int maxIterations = 32, SettableClock? clock = null, EngineOptions? options = null)
    {
        var host = new RealEngineHost(new Azurite(), clock ?? new SettableClock(), maxIterations, options ?? EngineOptions.Default);
        host.Publish(sources);
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        if (backend == Backend.InMemory)
        {
            var test = await DurableTaskTestHost.StartAsync(host.Register, new DurableTaskTestHostOptions { Port = FreePort() }, starting.Token);
            host.Client = test.Client;
            host._stops.Add(() => test.DisposeAsync().AsTask());
        }
        else
        {
            await host.StartOnAzureStorageAsync(starting.Token);
        }
        return host;
    }

    /// <summary>Each orchestrator and activity by the name its [Function] attribute gives it, bound to the same method.</summary>
    public void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestrator(ActivityNames.Orchestrator, () => new AppOrchestrator(Functions));
        registry.AddActivityFunc<string, string>(ActivityNames.Pull, (_, input) => Functions.Pull(input));
        registry.AddActivityFunc<string, string>(ActivityNames.LoadDefinition, (_, input) => Functions.LoadDefinition(input));
        registry.AddActivityFunc<string, string>(ActivityNames.Apply, async (_, input) =>
        {
            var result = await Functions.Apply(input, CancellationToken.None);
            if (Interlocked.Decrement(ref _applyFailures) >= 0)
            {
                throw new InvalidOperationException("an apply activity failing after its work (the test's retry)");
            }
            return result;
        });
        registry.AddActivityFunc<string, string>(ActivityNames.Send, (_, input) => Functions.Send(input, CancellationToken.None));
        registry.AddActivityFunc<string, string>(ActivityNames.TakeRateSlots, (_, input) =>
        {
            var result = Functions.TakeRateSlots(input);
            Interlocked.Increment(ref _rateTakeRuns);
            if (Interlocked.Decrement(ref _rateTakeFailures) >= 0)
            {
                throw new InvalidOperationException("a rate-slot take failing after its work (the test's retry)");
            }
            return result;
        });
        registry.AddActivityFunc<string, string>(ActivityNames.Jump, async (_, input) =>
        {
            var result = await Functions.Jump(input, Client, CancellationToken.None);
            Interlocked.Increment(ref _jumpRuns);
            if (Interlocked.Decrement(ref _jumpFailures) >= 0)
            {
                throw new InvalidOperationException("a jump activity failing after its work (the test's retry)");
            }
            return result;
        });
    }

    private int _rateTakeFailures;
    private int _rateTakeRuns;

    /// <summary>How many rate-slot takes ran to the end of their work (retries included).</summary>
    public int RateTakeRuns => Volatile.Read(ref _rateTakeRuns);

    /// <summary>The next <paramref name="count"/> rate-slot takes fail after doing their work, so Durable's retry runs them again.</summary>
    public void FailRateTakesAfterTheirWork(int count) => _rateTakeFailures = count;

    private int _jumpFailures;
    private int _applyFailures;
    private int _jumpRuns;

    /// <summary>How many jump activities ran to the end of their work (retries included).</summary>
    public int JumpRuns => Volatile.Read(ref _jumpRuns);

    /// <summary>The next <paramref name="count"/> jump activities fail after doing their work, so Durable's retry runs them again.</summary>
    public void FailJumpsAfterTheirWork(int count) => _jumpFailures = count;

    /// <summary>The next <paramref name="count"/> apply activities fail after doing their work (rows, counts, sends), so Durable's retry runs them again.</summary>
    public void FailAppliesAfterTheirWork(int count) => _applyFailures = count;

    /// <summary>The batch through the Event Hubs function's handler, with the real Durable client.</summary>
    public Task<BatchCounts> IngestAsync(params string[] events) => Ingestion.IngestAsync(events, Client, CancellationToken.None);

    /// <summary>
    /// The ingestion's partition write without its starts and wakes: what a crash right after the write leaves
    /// (the message is marked seen; Event Hubs will hand it in again).
    /// </summary>
    public IngestOutcome IngestThenCrash(string line)
    {
        var e = EventParser.Parse(line).Event ?? throw new ArgumentException("not an event", nameof(line));
        using (Traces.Scope(e.MessageId))
        {
            return Ingestors.Create(new BufferedSignals()).Ingest(e, Clock.GetUtcNow()); // never flushed
        }
    }

    /// <summary>The user's trace records as the JSON lines the API serves, in row order (time, then writer).</summary>
    public IReadOnlyList<string> TraceLines(string userId) =>
        Azurite.Tables.Users.Query<TableEntity>($"PartitionKey eq '{userId}' and RowKey ge 't|' and RowKey lt 't|~'")
            .Select(r => r.GetString("Record"))
            .ToList();

    public IReadOnlyList<EnrollmentState> Enrollments(string userId) =>
        Azurite.Tables.Users.Query<TableEntity>($"PartitionKey eq '{userId}' and RowKey ge 'e|' and RowKey lt 'e|~'")
            .Select(r => EnrollmentStateJson.Deserialize(r.GetString("State")))
            .ToList();

    public int DeliveriesOf(string idempotencyKey) => Delivery.Delivered.Count(m => m.IdempotencyKey == idempotencyKey);

    /// <summary>Polls until <paramref name="done"/> holds; fails the test with <paramref name="what"/> at the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> done, TimeSpan limit, string what)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {limit.TotalSeconds:0} s: {what}");
            }
            await Task.Delay(100);
        }
    }

    public async Task<OrchestrationMetadata> WaitForCompletionAsync(string instanceId, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stop in _stops.AsEnumerable().Reverse())
        {
            try
            {
                // the sidecar can hang on shutdown: a test never waits on it for long
                await stop().WaitAsync(StopLimit);
            }
            catch (Exception)
            {
                // best effort: the process exits at the end of the run anyway
            }
        }
    }

    private void Publish(IEnumerable<(string File, string Json)> sources)
    {
        var list = sources.ToList();
        foreach (var (file, json) in list.Where(s => s.File.EndsWith(DefinitionLoader.SegmentSuffix, StringComparison.OrdinalIgnoreCase)))
        {
            var segment = DefinitionReader.ReadSegment(file, json).Definition ?? throw new ArgumentException($"{file} does not read");
            Catalog.PublishSegment(segment.Id, json);
        }
        foreach (var (file, json) in list.Where(s => s.File.EndsWith(DefinitionLoader.JourneySuffix, StringComparison.OrdinalIgnoreCase)))
        {
            var journey = DefinitionReader.ReadJourney(file, json).Definition ?? throw new ArgumentException($"{file} does not read");
            var (version, problems) = Catalog.Publish(journey.Id, json);
            Assert.True(version is not null, string.Join("\n", problems));
        }
    }

    /// <summary>
    /// The test host's sidecar (<see cref="TaskHubGrpcServer"/>, built as <see cref="DurableTaskTestHost"/> builds its own)
    /// over <see cref="AzureStorageOrchestrationService"/> instead of the in-memory service, and a worker and client on it.
    /// </summary>
    private async Task StartOnAzureStorageAsync(CancellationToken cancellation)
    {
        var service = new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = "h" + Guid.NewGuid().ToString("N")[..20],
            StorageAccountClientProvider = new StorageAccountClientProvider("UseDevelopmentStorage=true"),
            PartitionCount = 1,
            UseAppLease = false, // one worker: no app lease to wait for
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500), // default 30 s: an idle queue would be polled rarely
            LeaseAcquireInterval = TimeSpan.FromSeconds(1),
        });
        await service.CreateIfNotExistsAsync();
        _stops.Add(() => service.DeleteAsync());

        var address = $"http://127.0.0.1:{FreePort()}";
        var sidecar = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureWebHostDefaults(web =>
            {
                web.UseUrls(address);
                web.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
                web.ConfigureServices(services =>
                {
                    services.AddGrpc();
                    services.AddSingleton<IOrchestrationService>(service);
                    services.AddSingleton<IOrchestrationServiceClient>(service);
                    services.AddSingleton<TaskHubGrpcServer>();
                });
                web.Configure(app =>
                {
                    app.UseRouting();
                    app.UseEndpoints(endpoints => endpoints.MapGrpcService<TaskHubGrpcServer>());
                });
            })
            .Build();
        await sidecar.StartAsync(cancellation);
        _stops.Add(async () =>
        {
            await sidecar.StopAsync();
            sidecar.Dispose();
        });

        var channel = GrpcChannel.ForAddress(address);
        _stops.Add(async () =>
        {
            await channel.ShutdownAsync();
            channel.Dispose();
        });
        var worker = Host.CreateDefaultBuilder()
            .ConfigureLogging(logging => logging.ClearProviders())
            .ConfigureServices(services =>
            {
                services.AddDurableTaskWorker(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.AddTasks(Register);
                });
                services.AddDurableTaskClient(builder =>
                {
                    builder.UseGrpc(channel);
                    builder.RegisterDirectly();
                });
            })
            .Build();
        await worker.StartAsync(cancellation);
        _stops.Add(async () =>
        {
            await worker.StopAsync();
            worker.Dispose();
        });
        Client = worker.Services.GetRequiredService<DurableTaskClient>();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The app's orchestrator function as a task orchestrator (the Durable analyzers of 1.28.0 throw AD0001 on an
    /// orchestrator registered as a function that hands its context to a method of another assembly).
    /// </summary>
    private sealed class AppOrchestrator(EnrollmentFunctions functions) : TaskOrchestrator<string, string?>
    {
        public override Task<string?> RunAsync(TaskOrchestrationContext context, string input) => functions.RunOrchestrator(context);
    }
}
