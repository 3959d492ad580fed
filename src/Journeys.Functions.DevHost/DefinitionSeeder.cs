using Journeys.Core.Definitions;
using Journeys.Functions.Storage;

namespace Journeys.Functions.DevHost;

/// <summary>
/// The --definitions folder published into the app's journeys table at start, through the catalog's own
/// publishing rules: the folder must validate as a whole; segments are written as they are; a journey is
/// published as a new version only when its JSON differs from the current version, so restarting on the same
/// storage makes no versions and running enrollments keep theirs.
/// </summary>
public static class DefinitionSeeder
{
    /// <returns>The journeys published (new versions), or the folder's problems.</returns>
    public static (IReadOnlyList<string> Published, IReadOnlyList<DefinitionProblem> Problems) Seed(string folder, DefinitionCatalog catalog)
    {
        var loaded = DefinitionLoader.LoadDirectory(folder);
        if (!loaded.IsValid)
        {
            return ([], loaded.Problems);
        }
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var file in files.Where(f => f.EndsWith(DefinitionLoader.SegmentSuffix, StringComparison.OrdinalIgnoreCase)))
        {
            var json = File.ReadAllText(file);
            if (DefinitionReader.ReadSegment(file, json).Definition is { } segment)
            {
                catalog.PublishSegment(segment.Id, json);
            }
        }
        var states = catalog.States().ToDictionary(s => s.Id, StringComparer.Ordinal);
        var published = new List<string>();
        foreach (var file in files.Where(f => f.EndsWith(DefinitionLoader.JourneySuffix, StringComparison.OrdinalIgnoreCase)))
        {
            var json = File.ReadAllText(file);
            if (DefinitionReader.ReadJourney(file, json).Definition is not { } journey)
            {
                continue;
            }
            if (states.TryGetValue(journey.Id, out var state) && catalog.Json(journey.Id, state.Current) == json)
            {
                continue;
            }
            var (version, problems) = catalog.Publish(journey.Id, json);
            if (version is null)
            {
                return (published, problems);
            }
            published.Add(journey.Id);
        }
        return (published, []);
    }
}
