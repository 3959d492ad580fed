using Journeys.Core.Audience;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Benchmarks;

/// <summary>Definitions and profiles shared by the benchmarks.</summary>
internal static class Fixtures
{
    public static DefinitionSet Load(params (string File, string Json)[] sources)
    {
        var loaded = DefinitionLoader.Load(sources);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, loaded.Problems));
        }
        return DefinitionSet.From(loaded);
    }

    public static Profile Profile(string userId) => Journeys.Core.Audience.Profile.Empty(userId).Merge(Value.From(new Dictionary<string, Value>
    {
        ["email"] = Value.From($"{userId}@example.com"),
        ["phone"] = Value.From("+15550100"),
        ["timezone"] = Value.From("America/New_York"),
        ["firstName"] = Value.From("Beth"),
        ["loyaltyTier"] = Value.From("gold"),
        ["consent"] = Value.From(new Dictionary<string, Value> { ["sms"] = Value.True }),
        ["cart"] = Value.From(new Dictionary<string, Value> { ["total"] = Value.From(120) }),
    }));

    public static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
}
