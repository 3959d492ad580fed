using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Orchestration;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests;

/// <summary>
/// The Azure ingestion's identity merge (<see cref="AnonymousMerge"/>) on both partition stores gives the simulator's
/// trace (<see cref="JourneyRuntime.MergeAnonymous"/>): the anonymous history counts for later conditions, but an
/// enrollment the user already had never takes a merged event as one that arrived (no conversion from the past).
/// </summary>
public sealed class AnonymousMergeTests
{
    private static readonly (string File, string Json)[] Sources =
    [
        ("trial.journey.json", """
            {"id":"trial","entry":{"event":"Start"},"goal":{"event":"Purchase"},"start":"wait",
             "steps":{"wait":{"type":"delay","for":"PT2H"}}}
            """),
        ("buyer.journey.json", """
            {"id":"buyer","entry":{"event":"Ping","where":{"performed":"Purchase","within":"P1D"}},"start":"wait",
             "steps":{"wait":{"type":"delay","for":"PT1H"}}}
            """),
    ];

    private static readonly string[] Events =
    [
        """{"type":"track","messageId":"m1","userId":"ann","event":"Start","timestamp":"2026-12-01T09:00:00Z"}""",
        """{"type":"track","messageId":"m2","anonymousId":"a-1","event":"Purchase","properties":{"total":20},"timestamp":"2026-12-01T09:10:00Z"}""",
        """{"type":"identify","messageId":"m3","userId":"ann","anonymousId":"a-1","traits":{"firstName":"Ann"},"timestamp":"2026-12-01T09:20:00Z"}""",
        """{"type":"identify","messageId":"m4","userId":"ann","anonymousId":"a-1","traits":{},"timestamp":"2026-12-01T09:25:00Z"}""",
        """{"type":"track","messageId":"m5","userId":"ann","event":"Ping","timestamp":"2026-12-01T09:30:00Z"}""",
    ];

    public static TheoryData<bool> Stores => [false, true];

    [Theory]
    [MemberData(nameof(Stores))]
    public void A_merged_history_enters_later_journeys_and_converts_no_running_enrollment(bool tableStorage)
    {
        var expected = ScaledSamples.Simulate(Sources, Events);
        Assert.DoesNotContain(expected, l => l.Contains("\"kind\":\"converted\"", StringComparison.Ordinal));
        Assert.Contains(expected, l => l.Contains("\"journey\":\"buyer\",\"kind\":\"entered\"", StringComparison.Ordinal));

        AzureHarness harness;
        if (tableStorage)
        {
            var azurite = new Azurite();
            harness = new AzureHarness(Sources, azurite.Tables.Stores(), new TableUserPartition(azurite.Tables));
        }
        else
        {
            harness = new AzureHarness(Sources);
        }
        harness.Replay(Events);

        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new TraceLineWriter(text))
        {
            harness.Trace.ForEach(writer.Write);
        }
        Assert.Equal(expected, text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // merged once, though two identifies named the pair
        Assert.Equal(["Start", "Purchase", "Ping"], harness.Stores.History.Get("ann").Select(h => h.Event));
    }
}
