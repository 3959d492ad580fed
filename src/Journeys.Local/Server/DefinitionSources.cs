using Journeys.Core.Definitions;

namespace Journeys.Local.Server;

/// <summary>A definitions folder read as (file, JSON text) pairs: segments are served from it; its journeys are published on start.</summary>
public sealed record DefinitionSources(
    IReadOnlyList<(string File, string Json)> Segments,
    IReadOnlyList<(string File, string Json)> Journeys)
{
    public static DefinitionSources ReadFolder(string folder)
    {
        var segments = new List<(string, string)>();
        var journeys = new List<(string, string)>();
        var files = Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file.EndsWith(DefinitionLoader.SegmentSuffix, StringComparison.OrdinalIgnoreCase))
            {
                segments.Add((file, File.ReadAllText(file)));
            }
            else if (file.EndsWith(DefinitionLoader.JourneySuffix, StringComparison.OrdinalIgnoreCase))
            {
                journeys.Add((file, File.ReadAllText(file)));
            }
        }
        return new DefinitionSources(segments, journeys);
    }
}
