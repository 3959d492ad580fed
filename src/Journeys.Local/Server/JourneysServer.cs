using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Local.Server.Delivery;
using Journeys.Hosting.Api;
using Journeys.Hosting.Settings;
using Journeys.Hosting.Tracking;
using Journeys.Local.Server.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Server;

/// <summary>
/// <c>journeys serve</c> assembled: the engine loop, the outbox dispatcher and the HTTP API on
/// Kestrel, over one SQLite file. Tests start it in-process on a free port; the CLI runs it until
/// Ctrl+C.
/// </summary>
public sealed class JourneysServer : IAsyncDisposable
{
    private readonly List<IDisposable> _owned = [];

    private JourneysServer(WebApplication app, EngineHost engine, OutboxDispatcher dispatcher, ReadModelGate reads, ServerOptions options, string definitions, DataFiles files)
    {
        Files = files;
        App = app;
        Engine = engine;
        Dispatcher = dispatcher;
        Reads = reads;
        Options = options;
        DefinitionsFolder = definitions;
    }

    public WebApplication App { get; }

    public EngineHost Engine { get; }

    public OutboxDispatcher Dispatcher { get; }

    public ReadModelGate Reads { get; }

    public ServerOptions Options { get; }

    public string DefinitionsFolder { get; }

    /// <summary>What this start created under <c>--data</c> (removed by the CLI when listening fails).</summary>
    public DataFiles Files { get; }

    /// <summary>The folder of samples copied beside the executable (the default definitions).</summary>
    public static string SamplesFolder => Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Where it listens, once started.</summary>
    public IReadOnlyList<string> Addresses =>
        App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];

    /// <summary>Everything but listening: the database opened and migrated, definitions published, channels ready.</summary>
    /// <param name="configure">Last say over the web host (tests set logging and configuration here).</param>
    public static JourneysServer Create(ServerOptions options, string urls, TimeProvider? time = null, TextWriter? console = null, Action<WebApplicationBuilder>? configure = null)
    {
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxBodyBytes + 1);
        builder.Services.AddHttpClient();
        // ASP.NET's per-request lines at Warning: a request logs at most the one info line of its own
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        // the host's "Hosting failed to start" error carries a stack trace; a failed start is reported in one
        // line by the CLI instead (serve runs no hosted service whose faults this would hide)
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseJsonStatusErrors();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        var definitions = options.Definitions ?? SamplesFolder;
        if (!Directory.Exists(definitions))
        {
            throw new DirectoryNotFoundException($"{definitions}: no such definitions folder");
        }
        var engineOptions = SendPolicySettings.Load("Journeys:Settings", options.Settings, Directory.GetCurrentDirectory());

        var files = DataFiles.Prepare(options);
        DataFileLock fileLock;
        try
        {
            fileLock = DataFileLock.Acquire(options.Data);
        }
        catch
        {
            files.RemoveCreated();
            throw;
        }
        EngineHost engine;
        try
        {
            engine = new EngineHost(options, DefinitionSources.ReadFolder(definitions), engineOptions, time, loggers.CreateLogger<EngineHost>());
        }
        catch (Exception e)
        {
            fileLock.Dispose();
            files.RemoveCreated();
            if (e is Microsoft.Data.Sqlite.SqliteException sqlite) throw files.CannotOpen(sqlite);
            throw;
        }
        var owned = new List<IDisposable> { fileLock };
        OutboxDispatcher dispatcher;
        ReadModelGate reads;
        try
        {
            var outboxFile = new OutboxFileProvider(options.OutboxFile);
            owned.Add(outboxFile);
            var providers = new Dictionary<string, IChannelProvider>(StringComparer.OrdinalIgnoreCase)
            {
                ["outbox"] = outboxFile,
                ["console"] = new ConsoleProvider(console ?? Console.Out),
                ["webhook"] = new WebhookProvider(
                    app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("webhook"), options.Webhook, time, loggers.CreateLogger<WebhookProvider>()),
            };
            var byChannel = new Dictionary<string, IChannelProvider>(StringComparer.OrdinalIgnoreCase) { ["*"] = outboxFile };
            foreach (var (channel, provider) in options.Channels)
            {
                byChannel[channel] = providers.TryGetValue(provider, out var p)
                    ? p
                    : throw new InvalidDataException($"Journeys:Channels:{channel}: no provider '{provider}' (outbox, console or webhook)");
            }
            var tracking = new TrackingSigner(options.Tracking.Secret is { Length: > 0 } secret ? secret : TrackingSecretFile.LoadOrCreate(options.DataFolder));
            // the listening address is known once Kestrel started, which is before the dispatcher starts (StartAsync)
            var tracked = new TrackedOutboxLine(new TrackingRewriter(tracking, () => options.Tracking.BaseUrl
                ?? app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("Journeys:Tracking:BaseUrl is not set and the server listens nowhere yet")));
            dispatcher = new OutboxDispatcher(options.Data, byChannel, engine.WriteOutboxAsync, time, loggers.CreateLogger<OutboxDispatcher>(), tracked.Apply);
            app.MapTracking(() => tracking, (_, engagement, cancel) => engine.IngestAsync([engagement], cancel), time);
            reads = new ReadModelGate(options.Data);
        }
        catch
        {
            engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
            owned.ForEach(o => o.Dispose());
            files.RemoveCreated();
            throw;
        }
        engine.MessagesQueued += dispatcher.Wake;
        ApiEndpoints.Map(app, options, engine, reads, time);
        Dashboard.Map(app);
        var server = new JourneysServer(app, engine, dispatcher, reads, options, definitions, files);
        server._owned.AddRange(owned);
        return server;
    }

    public async Task StartAsync(CancellationToken cancel = default)
    {
        Engine.Start();
        await App.StartAsync(cancel).ConfigureAwait(false);
        Dispatcher.Start(); // after Kestrel: tracked mail needs the address it listens on
        App.Logger.LogInformation(
            "Journeys listening on {Addresses}; data in {Data}; serving {Journeys} journeys from {Definitions}; messages to {Outbox}",
            string.Join(", ", Addresses), Path.GetFullPath(Options.Data), Engine.Journeys.Count, DefinitionsFolder, Options.OutboxFile);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
        await Dispatcher.DisposeAsync().ConfigureAwait(false);
        await Engine.DisposeAsync().ConfigureAwait(false);
        Reads.Dispose();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
