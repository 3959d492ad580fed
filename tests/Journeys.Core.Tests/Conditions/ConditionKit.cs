using System.Text.Json;
using Journeys.Core.Audience;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;

namespace Journeys.Core.Tests.Conditions;

/// <summary>Builds conditions the way definitions do (JSON read by <see cref="DefinitionReader"/>), and contexts to run them in.</summary>
internal static class ConditionKit
{
    public static readonly DateTimeOffset Now = new(2026, 6, 10, 20, 0, 0, TimeSpan.Zero);

    private static CompiledCondition NoSegments(string id) => throw new InvalidOperationException($"no segment resolver for '{id}'");

    /// <summary>Reads <paramref name="conditionJson"/> as a segment's <c>when</c> (it must read without problems) and compiles it.</summary>
    public static CompiledCondition Compile(string conditionJson, Func<string, CompiledCondition>? segments = null)
    {
        var read = DefinitionReader.ReadSegment("test.segment.json", $$"""{"id":"s","when":{{conditionJson}}}""");
        Assert.True(read.Problems.Count == 0, $"condition {conditionJson} has problems: {string.Join("; ", read.Problems)}");
        Assert.NotNull(read.Definition);
        return ConditionCompiler.Compile(read.Definition.When, segments ?? NoSegments);
    }

    public static Value Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Value.FromJson(document.RootElement);
    }

    public static Profile MakeProfile(string traitsJson = "{}") => Profile.Empty("u-1").Merge(Json(traitsJson));

    public static ConditionContext Context(
        string traitsJson = "{}",
        string propertiesJson = "{}",
        IReadOnlyList<HistoryEvent>? history = null,
        DateTimeOffset? now = null,
        long entrySequence = long.MaxValue) =>
        new(MakeProfile(traitsJson), Json(propertiesJson), history ?? [], now ?? Now, entrySequence);

    public static bool Eval(string conditionJson, in ConditionContext context) => Compile(conditionJson).Evaluate(context);

    /// <summary>A property test against an event with these properties (empty profile, no history).</summary>
    public static bool OnProperties(string conditionJson, string propertiesJson) => Eval(conditionJson, Context(propertiesJson: propertiesJson));

    /// <summary>A trait test against a profile with these traits (no event properties, no history).</summary>
    public static bool OnTraits(string conditionJson, string traitsJson) => Eval(conditionJson, Context(traitsJson: traitsJson));

    public static HistoryEvent Event(long sequence, string name, DateTimeOffset at, string propertiesJson = "{}") =>
        new(sequence, name, at, Json(propertiesJson));
}
