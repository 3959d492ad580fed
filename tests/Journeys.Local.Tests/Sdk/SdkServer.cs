using System.Text.Json;
using Journeys.Local.Tests.Server;

namespace Journeys.Local.Tests.Sdk;

/// <summary>
/// A real <c>journeys serve</c> process on 127.0.0.1 with a write key, the <see cref="FrontProxy"/> the SDKs send
/// through, and a client for the read API.
/// </summary>
public sealed class SdkServer : IAsyncLifetime
{
    public const string WriteKey = "wk-sdk";

    /// <summary>
    /// Every call type moves it on: identify (the name), alias (the e-mail address, from the anonymous profile), the
    /// Signed Up track enters, then a page, a screen and a group; Order Completed is the conversion.
    /// </summary>
    public const string Welcome = """
        {"id":"sdk-welcome","entry":{"event":"Signed Up"},"goal":{"event":"Order Completed"},"start":"welcome","steps":{
          "welcome":{"type":"send","channel":"email","content":{"subject":"Welcome {{profile.firstName}}","body":"Hi"},"next":"pricing"},
          "pricing":{"type":"waitFor","event":"Page Viewed","where":{"property":"name","eq":"Pricing"},"timeout":"P1D","onEvent":"app","onTimeout":"gone"},
          "app":{"type":"waitFor","event":"Screen Viewed","timeout":"P1D","onEvent":"team","onTimeout":"gone"},
          "team":{"type":"waitFor","event":"Group","where":{"property":"groupId","eq":"acme"},"timeout":"P1D","onEvent":"hold","onTimeout":"gone"},
          "hold":{"type":"delay","for":"P7D"},
          "gone":{"type":"exit"}}}
        """;

    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-sdk-").FullName;
    private ServerProcess _serve = null!;

    public FrontProxy Proxy { get; private set; } = null!;

    public HttpClient Reads { get; private set; } = null!;

    public string Outbox => Path.Combine(_folder, "outbox.jsonl");

    public async Task InitializeAsync()
    {
        var definitions = Path.Combine(_folder, "definitions");
        Directory.CreateDirectory(definitions);
        File.WriteAllText(Path.Combine(definitions, "sdk-welcome.journey.json"), Welcome);
        File.WriteAllText(Path.Combine(definitions, "instant.journey.json"), TestJourneys.Instant);
        _serve = await ServerProcess.StartAsync(Path.Combine(_folder, "journeys.db"), definitions, "--api-key", WriteKey);
        Proxy = await FrontProxy.StartAsync(_serve.Url);
        Reads = new HttpClient { BaseAddress = new Uri(_serve.Url), Timeout = TimeSpan.FromSeconds(30) };
        Reads.DefaultRequestHeaders.Add("X-Api-Key", WriteKey);
    }

    public async Task<List<JsonElement>> TraceAsync(string user, string journey) =>
        (await Reads.GetStringAsync($"/v1/trace?user={user}&journey={journey}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    /// <summary>The trace once it holds a record of <paramref name="kind"/> (the engine's loop answers the SDK before the dispatcher runs), at most 10 s.</summary>
    public async Task<List<JsonElement>> TraceUntilAsync(string user, string journey, string kind)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var trace = await TraceAsync(user, journey);
            if (trace.Any(r => r.GetProperty("kind").GetString() == kind) || DateTime.UtcNow > until) return trace;
            await Task.Delay(100);
        }
    }

    /// <summary>The rejected store's calls whose body mentions <paramref name="text"/>.</summary>
    public async Task<List<JsonElement>> RejectedAsync(string text)
    {
        using var doc = JsonDocument.Parse(await Reads.GetStringAsync("/v1/rejected"));
        return doc.RootElement.GetProperty("rejected").EnumerateArray()
            .Where(r => r.GetProperty("body").GetString()!.Contains(text, StringComparison.Ordinal)).Select(r => r.Clone()).ToList();
    }

    /// <summary>The outbox's messages to <paramref name="user"/>, waiting up to 10 s for at least <paramref name="atLeast"/>.</summary>
    public async Task<List<JsonElement>> MessagesToAsync(string user, int atLeast)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = ServerFixture.ReadLines(Outbox).Where(l => l.GetProperty("user").GetString() == user).ToList();
            if (lines.Count >= atLeast || DateTime.UtcNow > until) return lines;
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Reads.Dispose();
        await Proxy.DisposeAsync();
        _serve.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }
}
