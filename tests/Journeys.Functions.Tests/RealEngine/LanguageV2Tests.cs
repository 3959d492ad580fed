using System.Text.Json;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// DESIGN §9 on the real Durable engine, each on the test host's in-memory backend and on Durable's Azure Storage
/// backend (Azurite): keyed enrollments never get another key's events, leaving an exit segment ends the
/// enrollment, and a jump enters the target journey exactly once though its activity is retried.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class LanguageV2Tests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private const string Cart = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},"reentry":{"mode":"multiple"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"Purchase","timeout":"PT6S","onEvent":"thanks","onTimeout":"remind"},
                  "thanks":{"type":"send","channel":"webhook","content":{"url":"https://example.test/thanks/{{event.properties.cartId}}"}},
                  "remind":{"type":"send","channel":"webhook","content":{"url":"https://example.test/remind/{{event.properties.cartId}}"}}}}
        """;

    private const string Vip = """{"id":"vip","when":{"trait":"tier","eq":"vip"}}""";

    private const string VipOnly = """
        {"id":"perks","entry":{"event":"Go"},"exit":{"segments":["vip"]},"start":"wait",
         "steps":{"wait":{"type":"delay","for":"PT1H","next":"hook"},
                  "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/perks"}}}}
        """;

    private const string From = """
        {"id":"a","entry":{"event":"Go"},"start":"w","steps":{
          "w":{"type":"delay","for":"PT1S","next":"go"},"go":{"type":"jump","journey":"b"}}}
        """;

    private const string To = """
        {"id":"b","entry":{"event":"Never"},"start":"hook","steps":{
          "hook":{"type":"send","channel":"webhook","content":{"url":"https://example.test/b/{{event.properties.sku}}"}}}}
        """;

    private static string Track(string messageId, string user, string name, string properties = "{}") =>
        $$"""{"type":"track","messageId":"{{messageId}}","userId":"{{user}}","event":"{{name}}","properties":{{properties}},"timestamp":"2026-12-01T10:00:00Z"}""";

    private static string Identify(string messageId, string user, string traits) =>
        $$"""{"type":"identify","messageId":"{{messageId}}","userId":"{{user}}","traits":{{traits}},"timestamp":"2026-12-01T10:00:00Z"}""";

    private static (string, string)[] Sources(string[] journeys, params string[] segments) =>
        [.. segments.Select((s, i) => ($"s{i}.segment.json", s)), .. journeys.Select((j, i) => ($"j{i}.journey.json", j))];

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task Keyed_enrollments_never_get_another_keys_events(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Sources([Cart]));
        await host.IngestAsync(Track("k1", "u1", "CartAbandoned", """{"cartId":"c/1"}"""), Track("k2", "u1", "CartAbandoned", """{"cartId":"c:2"}"""));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u1").Count == 2, Limit, "both carts entered");

        // the second cart's purchase, and the first cart abandoned again while its enrollment runs
        await host.IngestAsync(Track("k3", "u1", "Purchase", """{"cartId":"c:2"}"""), Track("k4", "u1", "CartAbandoned", """{"cartId":"c/1"}"""));
        await host.WaitForCompletionAsync("cart:u1:c%3A2:1", Limit);
        await host.WaitForCompletionAsync("cart:u1:c%2F1:1", Limit);

        Assert.Equal(
            [("cart:u1:c%2F1:1", "https://example.test/remind/c/1"), ("cart:u1:c%3A2:1", "https://example.test/thanks/c:2")],
            host.Delivery.Delivered.Select(m => (m.EnrollmentId, m.To)).Order());
        var lines = host.TraceLines("u1");
        Assert.Single(lines, l => Kind(l) == "rejected" && l.Contains("\"reason\":\"active\"", StringComparison.Ordinal));
        Assert.Equal(2, host.Enrollments("u1").Count);
        Assert.Equal(["c/1", "c:2"], host.Enrollments("u1").Select(e => e.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task Leaving_an_exit_segment_ends_the_enrollment(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Sources([VipOnly], Vip));
        await host.IngestAsync(Identify("v1", "u1", """{"tier":"vip"}"""), Track("v2", "u1", "Go"));
        await RealEngineHost.WaitUntilAsync(() => host.TraceLines("u1").Count == 1, Limit, "entered");

        // the user stops qualifying (an identify: no history event, the exit comes after the last one)
        await host.IngestAsync(Identify("v3", "u1", """{"tier":"gold"}"""));
        var done = await host.WaitForCompletionAsync("perks:u1:1", Limit);

        Assert.Equal("Exited", done.ReadOutputAs<string>());
        Assert.Equal(["entered", "exited"], host.TraceLines("u1").Select(Kind));
        Assert.Contains("\"reason\":\"segment\"", host.TraceLines("u1")[1]);
        Assert.Empty(host.Delivery.Delivered);
    }

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task A_jump_enters_the_target_journey_exactly_once_when_its_activity_is_retried(Backend backend)
    {
        await using var host = await RealEngineHost.StartAsync(backend, Sources([To, From])); // a jump target is published first
        host.FailJumpsAfterTheirWork(2); // the first two runs enter (or find the entry) and then fail: Durable retries
        await host.IngestAsync(Track("j1", "u1", "Go", """{"sku":"TOP-7"}"""));

        var from = await host.WaitForCompletionAsync("a:u1:1", Limit);
        var to = await host.WaitForCompletionAsync("b:u1:1", Limit);
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more comes

        Assert.Equal(("Exited", "Completed"), (from.ReadOutputAs<string>(), to.ReadOutputAs<string>()));
        Assert.Equal(3, host.JumpRuns); // the activity ran three times
        Assert.Equal("https://example.test/b/TOP-7", Assert.Single(host.Delivery.Delivered).To);
        var lines = host.TraceLines("u1");
        Assert.Single(lines, l => Kind(l) == "entered" && l.Contains("\"journey\":\"b\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => Kind(l) == "exited" && l.Contains("\"reason\":\"jump\"", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => Kind(l) == "rejected"); // a retry neither enters again nor finds itself active
        Assert.Equal(["a:u1:1", "b:u1:1"], host.Enrollments("u1").Select(e => e.EnrollmentId).Order(StringComparer.Ordinal));
        Assert.Null(await host.Client.GetInstanceAsync("b:u1:2"));
    }

    private static string Kind(string line) => JsonDocument.Parse(line).RootElement.GetProperty("kind").GetString()!;
}
