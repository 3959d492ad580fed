using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Journeys.Local.Server;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Tests.Server;

/// <summary>
/// A real <c>journeys serve</c> in-process: Kestrel on a free 127.0.0.1 port, a SQLite file in a
/// temporary folder, and an HttpClient pointed at it.
/// </summary>
internal sealed class ServerFixture : IAsyncDisposable
{
    private ServerFixture(JourneysServer server, string folder)
    {
        Server = server;
        Folder = folder;
        Http = new HttpClient { BaseAddress = new Uri(server.Addresses[0]), Timeout = TimeSpan.FromSeconds(30) };
    }

    public JourneysServer Server { get; }

    public string Folder { get; }

    public HttpClient Http { get; }

    public string OutboxFile => Server.Options.OutboxFile;

    /// <param name="journeys">Journey files (name without suffix, JSON) for a definitions folder; none: the samples.</param>
    public static async Task<ServerFixture> StartAsync(
        string? folder = null, IEnumerable<(string Name, string Json)>? journeys = null, Action<ServerOptions>? configure = null, TextWriter? console = null)
    {
        folder ??= Directory.CreateTempSubdirectory("journeys-serve-").FullName;
        var options = new ServerOptions { Data = Path.Combine(folder, "data", "journeys.db") };
        if (journeys is not null)
        {
            var definitions = Path.Combine(folder, "definitions");
            Directory.CreateDirectory(definitions);
            foreach (var (name, json) in journeys)
            {
                File.WriteAllText(Path.Combine(definitions, name), json);
            }
            options.Definitions = definitions;
        }
        configure?.Invoke(options);
        var server = JourneysServer.Create(options, "http://127.0.0.1:0", console: console ?? TextWriter.Null,
            configure: b => b.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning));
        await server.StartAsync();
        return new ServerFixture(server, folder);
    }

    public Task<HttpResponseMessage> PostEventsAsync(string body, string contentType = "application/json") =>
        Http.PostAsync("/v1/events", new StringContent(body, Encoding.UTF8, contentType));

    public async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.Clone();
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await JsonAsync(response);
    }

    public async Task<List<JsonElement>> TraceAsync(string query = "")
    {
        var text = await Http.GetStringAsync("/v1/trace?" + query);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    /// <summary>The outbox file's lines, waiting up to <paramref name="timeout"/> for at least <paramref name="atLeast"/>.</summary>
    public async Task<List<JsonElement>> OutboxAsync(int atLeast = 0, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var lines = ReadLines(OutboxFile);
            if (lines.Count >= atLeast || DateTime.UtcNow > until)
            {
                return lines;
            }
            await Task.Delay(50);
        }
    }

    public static List<JsonElement> ReadLines(string file)
    {
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    public static string Track(string messageId, string user, string @event, object? properties = null) =>
        JsonSerializer.Serialize(new { type = "track", messageId, userId = user, @event, timestamp = DateTimeOffset.UtcNow.ToString("O"), properties = properties ?? new { } });

    public static string Identify(string messageId, string user, object traits) =>
        JsonSerializer.Serialize(new { type = "identify", messageId, userId = user, timestamp = DateTimeOffset.UtcNow.ToString("O"), traits });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }

    public void DeleteFolder()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
