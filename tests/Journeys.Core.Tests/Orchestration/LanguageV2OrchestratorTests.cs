using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Orchestration;

/// <summary>
/// DESIGN §9's keyed entries, segment exits and jumps through the Azure ingestion and one orchestration per
/// enrollment (fake Durable host): each gives the single-node runtime's trace for the same events, and the
/// Azure-only mechanics (enrollment ids, recorded exits, a retried jump activity) hold.
/// </summary>
public sealed class LanguageV2OrchestratorTests
{
    private static readonly string Vip = Defs.TraitSegment("vip", "tier", "vip");

    private const string Cart = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},"reentry":{"mode":"multiple"},"start":"wait",
         "steps":{"wait":{"type":"waitFor","event":"Purchase","timeout":"PT1H","onEvent":"thanks","onTimeout":"remind"},
                  "thanks":{"type":"send","channel":"webhook","content":{"url":"https://example.test/thanks/{{event.properties.cartId}}"}},
                  "remind":{"type":"send","channel":"webhook","content":{"url":"https://example.test/remind/{{event.properties.cartId}}"}}}}
        """;

    private const string VipJourney = """
        {"id":"j","entry":{"event":"Go"},"exit":{"segments":["vip"]},"start":"d","steps":{"d":{"type":"delay","for":"P3D"}}}
        """;

    private const string From = """
        {"id":"a","entry":{"event":"Go"},"start":"w","steps":{
          "w":{"type":"delay","for":"PT1H","next":"go"},"go":{"type":"jump","journey":"b"}}}
        """;

    private const string To = """
        {"id":"b","entry":{"segment":"vip"},"reentry":{"mode":"once"},"start":"hook","steps":{
          "hook":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{event.properties.sku}}"}}}}
        """;

    private static int _messageNo;

    private static string Track(string user, string name, string at, object? properties = null) =>
        Events.Track($"v2-{Interlocked.Increment(ref _messageNo)}", user, name, Times.At(at), properties);

    private static string Identify(string user, string at, object traits) =>
        Events.Identify($"v2-{Interlocked.Increment(ref _messageNo)}", user, Times.At(at), traits);

    /// <summary>The events through the single-node runtime and through the Azure harness: both traces, as lines.</summary>
    private static (List<string> Serve, List<string> Azure, AzureHarness Harness) Both(
        string[] journeys, string[] segments, string[] events, Action<AzureHarness>? arrange = null, int maxIterations = 32)
    {
        var serve = Scenario.Create(journeys, segments);
        foreach (var e in events)
        {
            serve.Ingest(e);
        }
        serve.Drain();
        var harness = AzureHarness.FromJson(journeys, segments, maxIterations: maxIterations);
        arrange?.Invoke(harness);
        harness.Replay(events);
        return ([.. serve.Lines], [.. harness.Trace.Select(TraceText.Line)], harness);
    }

    [Fact]
    public void Entry_limits_reject_as_the_single_node_runtime_does_after_cap()
    {
        const string limited = """
            {"id":"l","entry":{"event":"Go"},"reentry":{"mode":"multiple","cap":{"count":1,"within":"P1D"}},
             "limits":{"entriesPerDay":2,"entriesTotal":3},"start":"e","steps":{"e":{"type":"exit"}}}
            """;
        var (serve, azure, _) = Both([limited], [], [
            Track("a", "Go", "10:00"),
            Track("b", "Go", "11:00"),
            Track("c", "Go", "12:00"), // the day's third
            Track("a", "Go", "13:00"), // cap before limit
            Track("c", "Go", "+1d 00:00"), // midnight UTC: a new day
            Track("d", "Go", "+1d 01:00"), // the total is reached
        ]);

        Assert.Equal(serve, azure);
        Assert.Contains("12:00 c l rejected limit", azure);
        Assert.Contains("13:00 a l rejected cap", azure);
        Assert.Equal(2, azure.Count(l => l.EndsWith(" rejected limit", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public void Keyed_enrollments_get_their_own_keys_events_and_those_without_a_key(int maxIterations)
    {
        var (serve, azure, harness) = Both([Cart], [], [
            Track("u1", "CartAbandoned", "10:00", new { cartId = "c/1" }),
            Track("u1", "CartAbandoned", "10:01", new { cartId = "c:2" }),
            Track("u1", "CartAbandoned", "10:02", new { cartId = "c/1" }), // active for this cart: rejected
            Track("u1", "Purchase", "10:10", new { cartId = "c:2" }),     // only the second cart's
            Track("u1", "CartAbandoned", "12:00", new { cartId = "c/1" }), // its first enrollment ended: the key's second entry
            Track("u1", "Purchase", "12:10"),                               // no key: reaches every open cart
        ], maxIterations: maxIterations);

        Assert.Equal(serve, azure);
        Assert.Equal(
            ["https://example.test/thanks/c:2", "https://example.test/remind/c/1", "https://example.test/thanks/c/1"],
            harness.Sends.Select(m => m.To));
        // one instance per enrollment, the key escaped into its id
        Assert.Equal(["cart:u1:c%2F1:1", "cart:u1:c%2F1:2", "cart:u1:c%3A2:1"], harness.Host.Instances.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("10:02 u1 cart rejected active", azure);
    }

    [Fact]
    public void An_engagement_event_naming_an_enrollment_reaches_only_that_one()
    {
        const string clicks = """
            {"id":"k","entry":{"event":"Go","key":"n"},"start":"wait",
             "steps":{"wait":{"type":"waitFor","event":"Email Link Clicked","timeout":"PT1H","onEvent":"yes","onTimeout":"no"},
                      "yes":{"type":"send","channel":"webhook","content":{"url":"https://example.test/yes"}},
                      "no":{"type":"send","channel":"webhook","content":{"url":"https://example.test/no"}}}}
            """;
        var (serve, azure, harness) = Both([clicks], [], [
            Track("u1", "Go", "10:00", new { n = 1 }),
            Track("u1", "Go", "10:01", new { n = 2 }),
            Track("u1", "Email Link Clicked", "10:05", new { enrollment = "k:u1:2:1" }),
        ]);

        Assert.Equal(serve, azure);
        Assert.Equal([("k:u1:1:1", "https://example.test/no"), ("k:u1:2:1", "https://example.test/yes")],
            harness.Sends.Select(m => (m.EnrollmentId, m.To)).Order());
    }

    [Theory]
    [InlineData(32)]
    [InlineData(1)]
    public void Leaving_an_exit_segment_ends_the_enrollment_in_order_with_its_events(int maxIterations)
    {
        var (serve, azure, harness) = Both([VipJourney], [Vip], [
            Identify("u1", "09:00", new { tier = "vip" }),
            Track("u1", "Go", "10:00"),
            Identify("u1", "12:00", new { tier = "gold" }), // leaves vip: exited segment
            Identify("u2", "12:30", new { tier = "vip" }),
            Track("u2", "Go", "13:00"),
            Identify("u2", "14:00", new { tier = "vip", plan = "x" }), // still vip: stays
        ], maxIterations: maxIterations);

        Assert.Equal(serve, azure);
        Assert.Contains("12:00 u1 j exited segment", azure);
        Assert.Contains("+3d 13:00 u2 j completed", azure);
        Assert.Equal(2, harness.Host.Instances.Count);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_jump_enters_the_other_journey_once_even_when_its_activity_runs_again(int retries)
    {
        var (serve, azure, harness) = Both([From, To], [Vip], [
            Track("u1", "Go", "10:00", new { sku = "TOP-7" }),
            Track("u2", "Go", "10:00", new { sku = "A" }),
            Identify("u2", "10:30", new { tier = "vip" }), // enters b by its segment first: the jump is rejected (once)
        ], h => h.JumpRetries = retries);

        Assert.Equal(serve, azure);
        Assert.Contains("11:00 u1 b entered", azure);
        Assert.Single(azure, l => l.StartsWith("11:00 u1 b entered", StringComparison.Ordinal));
        Assert.Contains("11:00 u2 b rejected once", azure);
        Assert.Equal("https://h.example/TOP-7", Assert.Single(harness.Sends, m => m.UserId == "u1" && m.JourneyId == "b").To);
        Assert.Single(harness.Stores.Entries.Entries("b", "u1"));
        Assert.Equal(EnrollmentStatus.Completed, harness.Stores.Enrollments.Get("b:u1:1")!.Status);
    }
}
