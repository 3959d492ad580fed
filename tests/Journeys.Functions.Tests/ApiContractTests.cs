using System.Net;
using System.Text;
using System.Text.Json;
using Journeys.Core.Engine;
using Journeys.Functions.Api;
using Journeys.Functions.DevHost;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Journeys.Hosting.Api;
using Journeys.Hosting.Intake;
using Journeys.Local.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Journeys.Functions.Tests;

/// <summary>
/// DESIGN §6: serve and the Functions app answer the admin and read routes with the same JSON shapes. The
/// same requests go to a real serve (SQLite, Kestrel on 127.0.0.1) and to the shared routes over the
/// Functions app's <see cref="TableJourneysBackend"/> resolved from DI (Table stores on Azurite, Kestrel on
/// 127.0.0.1, as the dev host maps them); status codes and shapes must match, and the values where both runtimes know them.
/// </summary>
public sealed class ApiContractTests : IAsyncLifetime
{
    private const string Journey = """
        {"id":"contract","name":"Contract","entry":{"event":"Go"},"start":"hello","steps":{
          "hello":{"type":"send","channel":"email","content":{"subject":"Hi","body":"Hello"},"next":"wait"},
          "wait":{"type":"delay","for":"P1D"}}}
        """;

    private const string Invalid = """
        {"id":"contract","entry":{"event":"Go"},"start":"nowhere","steps":{"hello":{"type":"delay","for":"PT1H"}}}
        """;

    private const string Identify = """{"type":"identify","messageId":"m-0","userId":"ann","traits":{"email":"ann@example.com"},"timestamp":"2026-12-01T09:00:00Z"}""";

    private const string Event = """{"type":"track","messageId":"m-1","userId":"ann","event":"Go","timestamp":"2026-12-01T10:00:00Z"}""";

    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-contract-").FullName;
    private readonly Azurite _azurite = new();
    private readonly Mock<DurableTaskClient> _durable = new(MockBehavior.Loose, "test");
    private JourneysServer _serve = null!;
    private WebApplication _functions = null!;
    private HttpClient _serveHttp = null!;
    private HttpClient _functionsHttp = null!;
    private IngestorFactory _ingestors = null!;

    public async Task InitializeAsync()
    {
        var definitions = Directory.CreateDirectory(Path.Combine(_folder, "definitions")).FullName;
        _serve = JourneysServer.Create(new ServerOptions { Data = Path.Combine(_folder, "data", "journeys.db"), Definitions = definitions }, "http://127.0.0.1:0",
            console: TextWriter.Null, configure: b => b.Logging.ClearProviders());
        await _serve.StartAsync();
        _serveHttp = new HttpClient { BaseAddress = new Uri(_serve.Addresses[0]) };

        var catalog = new DefinitionCatalog(_azurite.Tables, TimeProvider.System);
        _ingestors = new IngestorFactory(catalog, new TableUserPartition(_azurite.Tables), new TableTraceOutput(_azurite.Tables), new TableEntryCounters(_azurite.Tables));
        _durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => o!.InstanceId!);
        // as the dev host maps it: the backend from DI (with the Durable client registered there)
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_azurite.Tables);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(_ingestors);
        builder.Services.AddSingleton(_durable.Object);
        builder.Services.AddSingleton(EngineOptions.Default); // the app registers its Journeys__settings policies (stats count the global control group with them)
        builder.Services.AddSingleton<TableJourneysBackend>();
        builder.Services.AddSingleton<DeadLetters>();
        builder.Services.AddSingleton<EventIngestion>();
        builder.Services.AddSingleton<DevHostIntake>();
        _functions = builder.Build();
        _functions.MapJourneysApi<TableJourneysBackend>();
        // the Segment routes as the dev host maps them: what they cannot take goes to the dead-letter table
        _functions.MapSegmentIntake(_functions.Services.GetRequiredService<DevHostIntake>(), null, 1 << 20, 100);
        await _functions.StartAsync();
        _functionsHttp = new HttpClient { BaseAddress = new Uri(_functions.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _serveHttp.Dispose();
        _functionsHttp.Dispose();
        await _functions.DisposeAsync();
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task List_get_publish_control_stats_and_trace_have_the_same_shapes_on_serve_and_the_functions_backend()
    {
        var created = await BothAsync(HttpMethod.Put, "/v1/journeys/contract", Journey, HttpStatusCode.Created);
        Assert.Equal(1, created.Functions.GetProperty("version").GetInt32());
        Assert.True(created.Functions.GetProperty("created").GetBoolean());
        Assert.Equal("active", created.Functions.GetProperty("status").GetString());

        var unchanged = await BothAsync(HttpMethod.Put, "/v1/journeys/contract", Journey, HttpStatusCode.OK);
        Assert.False(unchanged.Functions.GetProperty("created").GetBoolean());
        Assert.Equal(1, unchanged.Functions.GetProperty("version").GetInt32());

        var refused = await BothAsync(HttpMethod.Put, "/v1/journeys/contract", Invalid, HttpStatusCode.BadRequest);
        Assert.Equal(Paths(refused.Serve), Paths(refused.Functions));
        Assert.Equal(refused.Serve.GetProperty("error").GetString(), refused.Functions.GetProperty("error").GetString());

        var list = await BothAsync(HttpMethod.Get, "/v1/journeys", null, HttpStatusCode.OK);
        Assert.Equal(list.Serve.GetRawText(), list.Functions.GetRawText());

        var read = await BothAsync(HttpMethod.Get, "/v1/journeys/contract", null, HttpStatusCode.OK);
        Assert.Equal(read.Serve.GetRawText(), read.Functions.GetRawText());

        var missing = await BothAsync(HttpMethod.Get, "/v1/journeys/nope", null, HttpStatusCode.NotFound);
        Assert.Equal(missing.Serve.GetRawText(), missing.Functions.GetRawText());
        await BothAsync(HttpMethod.Get, "/v1/journeys/nope/stats", null, HttpStatusCode.NotFound);
        await BothAsync(HttpMethod.Get, "/v1/trace?since=yesterday", null, HttpStatusCode.BadRequest);

        // one entry on each: serve takes it over HTTP, the Functions app through its ingestion handler
        using (var posted = await _serveHttp.PostAsync("/v1/events", new StringContent($"[{Identify},{Event}]", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        }
        var ingestion = new EventIngestion(_ingestors, new DeadLetters(_azurite.Tables, TimeProvider.System), TimeProvider.System, NullLogger<EventIngestion>.Instance);
        Assert.Equal(2, (await ingestion.IngestAsync([Identify, Event], _durable.Object, CancellationToken.None)).Accepted);
        // the orchestration is not run here: what its first decision writes, through the app's trace output
        WriteTrace("ann");

        var stats = await BothAsync(HttpMethod.Get, "/v1/journeys/contract/stats", null, HttpStatusCode.OK);
        foreach (var field in new[] { "id", "version", "status", "entered", "active", "completed", "converted", "channels" })
        {
            Assert.Equal(stats.Serve.GetProperty(field).GetRawText(), stats.Functions.GetProperty(field).GetRawText());
        }
        // the same fields on both, DESIGN §10's too (edges, attribution, the experiment readout)
        Assert.Equal(stats.Serve.EnumerateObject().Select(p => p.Name), stats.Functions.EnumerateObject().Select(p => p.Name));
        foreach (var field in new[] { "edges", "attribution", "experiments" })
        {
            Assert.Equal(stats.Serve.GetProperty(field).ValueKind, stats.Functions.GetProperty(field).ValueKind);
        }
        Assert.Equal(1, stats.Functions.GetProperty("entered").GetInt64());
        Assert.Equal(1, stats.Functions.GetProperty("active").GetInt64());
        Assert.Equal(stats.Serve.GetProperty("steps").GetProperty("hello").GetInt64(), stats.Functions.GetProperty("steps").GetProperty("hello").GetInt64());

        var serveTrace = await TraceAsync(_serveHttp, "journey=contract");
        var functionsTrace = await TraceAsync(_functionsHttp, "journey=contract");
        // the Functions app's sends happen in the orchestration (not run here): the entry is on both
        var serveEntered = Assert.Single(serveTrace, r => r.GetProperty("kind").GetString() == "entered");
        var functionsEntered = Assert.Single(functionsTrace, r => r.GetProperty("kind").GetString() == "entered");
        Assert.Equal(Shape(serveEntered), Shape(functionsEntered));
        Assert.Equal(serveEntered.GetProperty("user").GetString(), functionsEntered.GetProperty("user").GetString());
        var byUser = await TraceAsync(_functionsHttp, "user=ann&journey=contract");
        Assert.Equal(functionsTrace.Select(r => r.GetRawText()), byUser.Select(r => r.GetRawText()));

        var paused = await BothAsync(HttpMethod.Post, "/v1/journeys/contract/pause", null, HttpStatusCode.OK);
        Assert.Equal(paused.Serve.GetRawText(), paused.Functions.GetRawText());
        var resumed = await BothAsync(HttpMethod.Post, "/v1/journeys/contract/resume", null, HttpStatusCode.OK);
        Assert.Equal("active", resumed.Functions.GetProperty("status").GetString());
        var stopped = await BothAsync(HttpMethod.Post, "/v1/journeys/contract/stop", null, HttpStatusCode.OK);
        Assert.Equal(stopped.Serve.GetRawText(), stopped.Functions.GetRawText());
        await BothAsync(HttpMethod.Post, "/v1/journeys/nope/pause", null, HttpStatusCode.NotFound);
        var republished = await BothAsync(HttpMethod.Put, "/v1/journeys/contract", Journey.Replace("\"Hi\"", "\"Hello\"", StringComparison.Ordinal), HttpStatusCode.Created);
        Assert.Equal(republished.Serve.GetRawText(), republished.Functions.GetRawText());
        var versions = await BothAsync(HttpMethod.Get, "/v1/journeys/contract", null, HttpStatusCode.OK);
        Assert.Equal(versions.Serve.GetRawText(), versions.Functions.GetRawText());

        var health = await BothAsync(HttpMethod.Get, "/healthz", null, HttpStatusCode.OK, compareShapes: false);
        Assert.Equal(health.Serve.GetProperty("status").GetString(), health.Functions.GetProperty("status").GetString());
        Assert.Equal(health.Serve.GetProperty("journeys").GetInt32(), health.Functions.GetProperty("journeys").GetInt32());
    }

    [Fact]
    public void The_functions_app_resolves_its_backend_without_a_durable_client_in_di()
    {
        // the Functions app registers no DurableTaskClient (the trigger binds one): stop gets it through With
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System).AddSingleton(_azurite.Tables).AddSingleton(new DefinitionCatalog(_azurite.Tables, TimeProvider.System))
            .AddSingleton(_ingestors).AddSingleton(EngineOptions.Default).AddLogging().AddSingleton<TableJourneysBackend>()
            .BuildServiceProvider();
        Assert.NotNull(services.GetRequiredService<TableJourneysBackend>());
    }

    [Fact]
    public async Task Trace_pages_with_the_x_trace_last_cursor_and_refuses_one_it_did_not_give()
    {
        await BothAsync(HttpMethod.Put, "/v1/journeys/contract", Journey, HttpStatusCode.Created);
        var ingestion = new EventIngestion(_ingestors, new DeadLetters(_azurite.Tables, TimeProvider.System), TimeProvider.System, NullLogger<EventIngestion>.Instance);
        await ingestion.IngestAsync([Event, Event.Replace("m-1", "m-2", StringComparison.Ordinal).Replace("ann", "bob", StringComparison.Ordinal)], _durable.Object, CancellationToken.None);
        WriteTrace("ann");
        WriteTrace("bob", TimeSpan.FromSeconds(1));
        using var first = await _functionsHttp.GetAsync("/v1/trace?journey=contract&limit=2");
        var cursor = first.Headers.GetValues("X-Trace-Last").Single();
        Assert.DoesNotContain("\"bob\"", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var next = await _functionsHttp.GetStringAsync($"/v1/trace?journey=contract&limit=2&after={Uri.EscapeDataString(cursor)}");
        Assert.Equal(2, next.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("\"ann\"", next, StringComparison.Ordinal);
        var user = await _functionsHttp.GetStringAsync("/v1/trace?user=bob&limit=1");
        Assert.Contains("\"entered\"", user, StringComparison.Ordinal);
        using var bad = await _functionsHttp.GetAsync("/v1/trace?after=12");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("X-Trace-Last", JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejected_events_are_listed_with_their_reason_and_body_by_both_runtimes_in_one_shape()
    {
        var ingestion = new EventIngestion(_ingestors, new DeadLetters(_azurite.Tables, TimeProvider.System), TimeProvider.System, NullLogger<EventIngestion>.Instance);
        await ingestion.IngestAsync(["not json", """{"type":"track","messageId":"m-9","userId":"ann","timestamp":"2026-12-01T10:00:00Z"}"""], _durable.Object, CancellationToken.None);

        var first = await SendAsync(_functionsHttp, HttpMethod.Get, "/v1/rejected?limit=1", null, HttpStatusCode.OK);
        var item = Assert.Single(first.GetProperty("rejected").EnumerateArray());
        Assert.Equal("not json", item.GetProperty("body").GetString());
        Assert.False(string.IsNullOrEmpty(item.GetProperty("reason").GetString()));
        Assert.False(item.GetProperty("truncated").GetBoolean());
        Assert.True(DateTimeOffset.UtcNow - item.GetProperty("at").GetDateTimeOffset() < TimeSpan.FromMinutes(5));
        var next = await SendAsync(_functionsHttp, HttpMethod.Get, $"/v1/rejected?after={Uri.EscapeDataString(first.GetProperty("last").GetString()!)}", null, HttpStatusCode.OK);
        Assert.Contains("m-9", Assert.Single(next.GetProperty("rejected").EnumerateArray()).GetProperty("body").GetString(), StringComparison.Ordinal);
        var future = await SendAsync(_functionsHttp, HttpMethod.Get, $"/v1/rejected?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O", System.Globalization.CultureInfo.InvariantCulture))}", null, HttpStatusCode.OK);
        Assert.Equal(0, future.GetProperty("rejected").GetArrayLength());

        // serve keeps what its Segment routes could not take (none yet): the same shape, empty
        var serve = await SendAsync(_serveHttp, HttpMethod.Get, "/v1/rejected", null, HttpStatusCode.OK);
        Assert.Equal(0, serve.GetProperty("rejected").GetArrayLength());
        await BothAsync(HttpMethod.Get, "/v1/rejected?limit=0", null, HttpStatusCode.BadRequest);

        // the same bad Segment call to both: both keep it, and list it with the same source, reason and body
        var call = """{"userId":"ann","properties":{"sku":"X-1"}}""";
        foreach (var http in new[] { _serveHttp, _functionsHttp })
        {
            using var response = await http.PostAsync("/v1/track", new StringContent(call, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // as Segment answers: SDKs do not read bodies
        }
        var since = "/v1/rejected?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var (onServe, onFunctions) = await BothAsync(HttpMethod.Get, since, null, HttpStatusCode.OK);
        var kept = onServe.GetProperty("rejected").EnumerateArray().Select(Kept).ToList();
        Assert.Equal([("/v1/track", kept[0].Reason, call)], kept);
        Assert.Contains("event", kept[0].Reason, StringComparison.Ordinal);
        Assert.Contains(kept[0], onFunctions.GetProperty("rejected").EnumerateArray().Select(Kept));
    }

    private static (string? Source, string? Reason, string? Body) Kept(JsonElement item) =>
        (item.GetProperty("source").GetString(), item.GetProperty("reason").GetString(), item.GetProperty("body").GetString());

    /// <summary>The records the enrollment's first decision writes (entered, then the send), as the orchestration's activity writes them.</summary>
    private void WriteTrace(string user, TimeSpan offset = default)
    {
        var traces = _ingestors.Traces;
        var at = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture) + offset;
        using (traces.Scope($"contract:{user}:1~0~2"))
        {
            traces.Trace(new TraceRecord(at, user, "contract", TraceKind.Entered));
            traces.Trace(new TraceRecord(at, user, "contract", TraceKind.Sent, Step: "hello", Channel: "email"));
        }
    }

    /// <summary>The same request to both; the same status, and (unless told) the same shape.</summary>
    private async Task<(JsonElement Serve, JsonElement Functions)> BothAsync(HttpMethod method, string path, string? body, HttpStatusCode expected, bool compareShapes = true)
    {
        var serve = await SendAsync(_serveHttp, method, path, body, expected);
        var functions = await SendAsync(_functionsHttp, method, path, body, expected);
        if (compareShapes)
        {
            Assert.Equal(Shape(serve), Shape(functions));
        }
        return (serve, functions);
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, HttpMethod method, string path, string? body, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{http.BaseAddress} {method} {path}: {(int)response.StatusCode} {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static async Task<List<JsonElement>> TraceAsync(HttpClient http, string query)
    {
        var text = await http.GetStringAsync("/v1/trace?" + query);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    private static List<string?> Paths(JsonElement error) =>
        error.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("path").GetString()).Order(StringComparer.Ordinal).ToList();

    /// <summary>Property names and value kinds, recursively; maps keyed by data (exited, steps, ...) and the definition count as one kind.</summary>
    private static string Shape(JsonElement element, string? name = null) => element.ValueKind switch
    {
        JsonValueKind.Object when name is "exited" or "rejected" or "steps" or "channels" or "paths" or "definition" or "attribution" or "experiments" => "map",
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}:{Shape(p.Value, p.Name)}")) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : "") + "]",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => element.ValueKind.ToString(),
    };
}
