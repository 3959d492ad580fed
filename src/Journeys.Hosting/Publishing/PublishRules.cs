using Journeys.Core.Definitions;

namespace Journeys.Hosting.Publishing;

/// <summary>
/// The publishing rules every runtime applies (DESIGN §6): a journey is validated by Core against every
/// segment and every other journey's current version; its id must be the one it is published as; a
/// definition whose text is the current version's publishes nothing (200, created false); anything else
/// becomes the next version, and running enrollments stay on theirs.
/// </summary>
public static class PublishRules
{
    /// <summary>The file name a journey is reported under in problems (a stored version under <c>{id}@v{n}</c>).</summary>
    public static string FileOf(string journeyId, int? version = null) =>
        version is null ? $"{journeyId}{DefinitionLoader.JourneySuffix}" : $"{journeyId}@v{version}{DefinitionLoader.JourneySuffix}";

    /// <summary>The problems publishing <paramref name="json"/> as <paramref name="journeyId"/> would have; none: it can be published.</summary>
    /// <param name="segments">Every segment's file name and text.</param>
    /// <param name="otherJourneys">The current version of every other journey (its file name and text), for cross-journey rules such as jumps.</param>
    public static IReadOnlyList<DefinitionProblem> Check(
        string journeyId, string json, IEnumerable<(string File, string Json)> segments, IEnumerable<(string File, string Json)> otherJourneys)
    {
        var file = FileOf(journeyId);
        var loaded = DefinitionLoader.Load([.. segments, .. otherJourneys, (file, json)]);
        var problems = loaded.Problems.Where(p => p.File == file).ToList();
        if (problems.Count == 0 && loaded.Journeys.All(j => j.Id != journeyId))
        {
            var id = DefinitionReader.ReadJourney(file, json).Definition?.Id;
            problems.Add(new DefinitionProblem(file, "$.id", $"the id '{id}' does not match the journey '{journeyId}' it is published as"));
        }
        return problems;
    }

    /// <summary>Whether publishing <paramref name="json"/> over <paramref name="current"/> (null: none yet) makes no new version.</summary>
    public static bool IsUnchanged([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? current, string json) => current is not null && string.Equals(current, json, StringComparison.Ordinal);
}
