using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Tests.Support;

/// <summary>Journey and segment JSON -> <see cref="DefinitionLoader.Load"/> -> asserted valid -> compiled.</summary>
public static class Defs
{
    public static LoadResult LoadValid(IEnumerable<string> journeys, IEnumerable<string>? segments = null)
    {
        var sources = new List<(string File, string Json)>();
        var i = 0;
        foreach (var json in segments ?? [])
        {
            sources.Add(($"s{i++}{DefinitionLoader.SegmentSuffix}", json));
        }
        i = 0;
        foreach (var json in journeys)
        {
            sources.Add(($"j{i++}{DefinitionLoader.JourneySuffix}", json));
        }
        var loaded = DefinitionLoader.Load(sources);
        Assert.True(loaded.IsValid, "test definitions must be valid:\n" + string.Join("\n", loaded.Problems));
        return loaded;
    }

    public static DefinitionSet Compile(IEnumerable<string> journeys, IEnumerable<string>? segments = null) =>
        DefinitionSet.From(LoadValid(journeys, segments));

    /// <summary>A segment whose members have the trait <paramref name="trait"/> equal to <paramref name="value"/>.</summary>
    public static string TraitSegment(string id, string trait, object value) =>
        "{\"id\":\"" + id + "\",\"when\":{\"trait\":\"" + trait + "\",\"eq\":" + System.Text.Json.JsonSerializer.Serialize(value) + "}}";
}
