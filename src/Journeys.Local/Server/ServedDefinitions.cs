using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Publishing;
using Journeys.Local.Storage;

namespace Journeys.Local.Server;

/// <summary>
/// Turns the stored journey versions plus the folder's segments into the <see cref="DefinitionSet"/>
/// the runtime serves, and checks a journey about to be published against everything else served.
/// </summary>
/// <remarks>
/// A stored version never changes, so each is read, validated and compiled once for the server's life and
/// kept: publishing journey B reads, validates and compiles B alone, however large the other journeys are
/// (issue 10: one 1,000-step journey made every later PUT take seconds).
/// </remarks>
public sealed class ServedDefinitions(IReadOnlyList<(string File, string Json)> segments)
{
    private readonly LoadResult _segments = DefinitionLoader.Load(segments);
    private readonly Dictionary<(string JourneyId, int Version), LoadedVersion> _loaded = [];
    private Dictionary<string, JourneyDefinition> _current = new(StringComparer.Ordinal);
    private DefinitionSet? _set;

    /// <summary>The file name a stored version is reported under in problems.</summary>
    public static string FileOf(string journeyId, int? version = null) => PublishRules.FileOf(journeyId, version);

    /// <summary>
    /// The problems publishing <paramref name="json"/> as journey <paramref name="journeyId"/> would have (none: it can be
    /// published), against the other journeys' current versions as last built.
    /// </summary>
    public IReadOnlyList<DefinitionProblem> Check(string journeyId, string json) =>
        PublishRules.Check(journeyId, json, segments, _current.Where(c => c.Key != journeyId).Select(c => c.Value).ToList());

    /// <summary>
    /// The served set: each journey's current version takes entries; every earlier version stays
    /// for the enrollments still on it. A stored version that no longer loads (a segment it used is
    /// gone from the folder) is left out and reported. Only versions not loaded before are read.
    /// </summary>
    /// <param name="stored">Every stored version (<see cref="SqliteJourneyCatalog.VersionKeys"/>).</param>
    /// <param name="read">A stored version's text (<see cref="SqliteJourneyCatalog.Definition"/>), asked once per version.</param>
    public (DefinitionSet Set, IReadOnlyList<DefinitionProblem> Problems) Build(
        IReadOnlyList<PublishedJourney> journeys, IReadOnlyList<(string JourneyId, int Version)> stored, Func<string, int, string> read)
    {
        var currentVersion = journeys.ToDictionary(j => j.JourneyId, j => j.CurrentVersion, StringComparer.Ordinal);
        var problems = new List<DefinitionProblem>(_segments.Problems);
        var current = new List<JourneyVersion>();
        var retired = new List<JourneyVersion>();
        foreach (var key in stored)
        {
            if (!_loaded.TryGetValue(key, out var version))
            {
                version = Load(key, read(key.JourneyId, key.Version), currentVersion.Keys);
                _loaded[key] = version;
            }
            if (version.Journey is null)
            {
                problems.AddRange(version.Problems);
                continue;
            }
            var isCurrent = currentVersion.TryGetValue(key.JourneyId, out var v) && v == key.Version;
            (isCurrent ? current : retired).Add(new JourneyVersion(version.Journey, key.Version));
        }
        foreach (var gone in _loaded.Keys.Except(stored).ToList())
        {
            _loaded.Remove(gone);
        }
        _current = current.ToDictionary(c => c.Definition.Id, c => c.Definition, StringComparer.Ordinal);
        // the versions served before keep their compiled form: only the new one is compiled
        _set = new DefinitionSet(_segments.Segments, current, retired, _set);
        return (_set, problems);
    }

    /// <summary>A stored version, its jumps judged against every journey stored (their cycles were judged when it was published).</summary>
    private LoadedVersion Load((string JourneyId, int Version) key, string definition, IEnumerable<string> journeyIds)
    {
        var (journey, problems) = PublishRules.Validate(FileOf(key.JourneyId, key.Version), definition, segments, [], journeyIds);
        return new LoadedVersion(journey, problems);
    }

    private sealed record LoadedVersion(JourneyDefinition? Journey, IReadOnlyList<DefinitionProblem> Problems);
}
