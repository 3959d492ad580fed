using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Definitions;

namespace Journeys.Core.Tests.Engine;

/// <summary>
/// The simulator drops the properties of past events no condition reads (<see cref="DefinitionSet.ReadsHistoryProperties"/>):
/// the set must name every event a <c>performed … where</c> looks into, wherever it sits, and no other.
/// </summary>
public sealed class HistoryPropertiesReadTests
{
    [Fact]
    public void TheSamplesReadPurchasePropertiesAlone()
    {
        var loaded = DefinitionLoader.LoadDirectory(Path.Combine(DefinitionKit.RepositoryRoot(), "samples"));
        var definitions = DefinitionSet.From(loaded);

        // cross-sell's branch (category) and birthday's waitFor-style branch (coupon) look into past purchases
        Assert.True(definitions.ReadsHistoryProperties("Purchase"));
        // counted or timed, never filtered by a property
        Assert.False(definitions.ReadsHistoryProperties("ProductViewed"));
        Assert.False(definitions.ReadsHistoryProperties("RewardRedeemed"));
        Assert.False(definitions.ReadsHistoryProperties("StoreVisit"));
    }

    [Fact]
    public void AWhereInsideASegmentNestedUnderNotCounts()
    {
        var segment = """
            {"id": "no-red-views", "when": {"not": {"any": [{"performed": "Viewed", "where": {"property": "color", "eq": "red"}}]}}}
            """;
        var loaded = DefinitionLoader.Load([("no-red-views.segment.json", segment)]);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Problems));
        var definitions = DefinitionSet.From(loaded);

        Assert.True(definitions.ReadsHistoryProperties("Viewed"));
        Assert.False(definitions.ReadsHistoryProperties("Purchase"));
    }
}
