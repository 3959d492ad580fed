using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Publishing;
using Journeys.Local.Storage;

namespace Journeys.Local.Server;

/// <summary>
/// Turns the stored journey versions plus the folder's segments into the <see cref="DefinitionSet"/>
/// the runtime serves, and checks a journey about to be published against everything else served.
/// </summary>
public sealed class ServedDefinitions(IReadOnlyList<(string File, string Json)> segments)
{
    /// <summary>The file name a stored version is reported under in problems.</summary>
    public static string FileOf(string journeyId, int? version = null) => PublishRules.FileOf(journeyId, version);

    /// <summary>The problems publishing <paramref name="json"/> as journey <paramref name="journeyId"/> would have (none: it can be published).</summary>
    public IReadOnlyList<DefinitionProblem> Check(string journeyId, string json, IEnumerable<StoredJourneyVersion> current) =>
        PublishRules.Check(journeyId, json, segments, current.Where(v => v.JourneyId != journeyId).Select(v => (FileOf(v.JourneyId, v.Version), v.Definition)));

    /// <summary>
    /// The served set: each journey's current version takes entries; every earlier version stays
    /// for the enrollments still on it. A stored version that no longer loads (a segment it used is
    /// gone from the folder) is left out and reported.
    /// </summary>
    public (DefinitionSet Set, IReadOnlyList<DefinitionProblem> Problems) Build(IReadOnlyList<PublishedJourney> journeys, IReadOnlyList<StoredJourneyVersion> versions)
    {
        var currentVersion = journeys.ToDictionary(j => j.JourneyId, j => j.CurrentVersion, StringComparer.Ordinal);
        var problems = new List<DefinitionProblem>();
        var current = new List<JourneyVersion>();
        var retired = new List<JourneyVersion>();
        var loadedSegments = DefinitionLoader.Load(segments);
        problems.AddRange(loadedSegments.Problems);
        foreach (var version in versions)
        {
            var file = FileOf(version.JourneyId, version.Version);
            var loaded = DefinitionLoader.Load([.. segments, (file, version.Definition)]);
            var journey = loaded.Journeys.FirstOrDefault();
            if (journey is null)
            {
                problems.AddRange(loaded.Problems.Where(p => p.File == file));
                continue;
            }
            var isCurrent = currentVersion.TryGetValue(version.JourneyId, out var v) && v == version.Version;
            (isCurrent ? current : retired).Add(new JourneyVersion(journey, version.Version));
        }
        return (new DefinitionSet(loadedSegments.Segments, current, retired), problems);
    }
}
