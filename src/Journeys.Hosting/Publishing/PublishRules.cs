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
        string journeyId, string json, IEnumerable<(string File, string Json)> segments, IEnumerable<(string File, string Json)> otherJourneys) =>
        Check(journeyId, json, segments, otherJourneys.Select(o => DefinitionReader.ReadJourney(o.File, o.Json).Definition).OfType<JourneyDefinition>().ToList());

    /// <summary>
    /// The same, against the other journeys as already loaded: only the new definition is read and validated, so the
    /// cost of a publish does not grow with the size of the journeys beside it.
    /// </summary>
    /// <param name="otherJourneys">The current version of every other journey, for the cross-journey rules (jumps: unknown journeys, instant cycles).</param>
    public static IReadOnlyList<DefinitionProblem> Check(
        string journeyId, string json, IEnumerable<(string File, string Json)> segments, IReadOnlyList<JourneyDefinition> otherJourneys)
    {
        var (journey, problems) = Validate(FileOf(journeyId), json, segments, otherJourneys.Where(o => o.Id != journeyId).ToList());
        return journey is not null && journey.Id != journeyId
            ? [new DefinitionProblem(FileOf(journeyId), "$.id", $"the id '{journey.Id}' does not match the journey '{journeyId}' it is published as")]
            : problems;
    }

    /// <summary>
    /// Reads and validates one journey definition (Core's loader) with the segments, judging its jumps against
    /// <paramref name="otherJourneys"/> (targets and instant cycles) and <paramref name="alsoKnown"/> (targets only).
    /// </summary>
    /// <returns>The journey when it has no problem; else its problems.</returns>
    public static (JourneyDefinition? Journey, IReadOnlyList<DefinitionProblem> Problems) Validate(
        string file, string json, IEnumerable<(string File, string Json)> segments, IReadOnlyList<JourneyDefinition> otherJourneys, IEnumerable<string>? alsoKnown = null)
    {
        var loaded = DefinitionLoader.Load([.. segments, (file, json)]);
        var problems = loaded.Problems.Where(p => p.File == file).ToList();
        if (DefinitionReader.ReadJourney(file, json).Definition is not { } journey)
        {
            return (null, problems);
        }
        // the loader judged the jumps with this journey alone: judge them again with the others it may jump to
        var alone = DefinitionValidator.ValidateJumps([(file, journey)], new HashSet<string>(StringComparer.Ordinal) { journey.Id }).ToHashSet();
        problems.RemoveAll(alone.Contains);
        var all = otherJourneys.Where(o => o.Id != journey.Id).Select(o => (File: FileOf(o.Id), Journey: o)).Append((File: file, Journey: journey)).ToList();
        var known = all.Select(j => j.Journey.Id).Concat(alsoKnown ?? []).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(DefinitionValidator.ValidateJumps(all, known).Where(p => p.File == file));
        return problems.Count == 0 ? (journey, problems) : (null, problems);
    }

    /// <summary>Whether publishing <paramref name="json"/> over <paramref name="current"/> (null: none yet) makes no new version.</summary>
    public static bool IsUnchanged([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? current, string json) => current is not null && string.Equals(current, json, StringComparison.Ordinal);
}
