using System.Collections.Concurrent;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// Compiles a <see cref="DefinitionSource"/> in orchestrator code (pure: no I/O), cached by its text: a published
/// version never changes, so replays of every enrollment on it share one compiled journey. The text was
/// validated when published; it is read here, not validated again (a jump names journeys this set lacks).
/// </summary>
public sealed class DefinitionCompiler
{
    private readonly ConcurrentDictionary<DefinitionSource, CompiledJourney> _compiled = new(SourceComparer.Instance);

    public CompiledJourney Compile(DefinitionSource source) => _compiled.GetOrAdd(source, static s =>
    {
        var segments = s.Segments
            .Select((json, i) => DefinitionReader.ReadSegment($"s{i}{DefinitionLoader.SegmentSuffix}", json).Definition)
            .OfType<SegmentDefinition>()
            .ToList();
        var journey = DefinitionReader.ReadJourney(s.JourneyId + DefinitionLoader.JourneySuffix, s.Journey).Definition
            ?? throw new InvalidOperationException($"journey {s.JourneyId} version {s.Version} does not read");
        return new DefinitionSet(segments, [new JourneyVersion(journey, s.Version)], []).Journey(s.JourneyId, s.Version)
            ?? throw new InvalidOperationException($"journey {s.JourneyId} version {s.Version} did not compile");
    });

    /// <summary>Records compare their lists by reference; the cache compares the texts.</summary>
    private sealed class SourceComparer : IEqualityComparer<DefinitionSource>
    {
        public static SourceComparer Instance { get; } = new();

        public bool Equals(DefinitionSource? x, DefinitionSource? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.JourneyId == y.JourneyId && x.Version == y.Version
                && x.Journey == y.Journey && x.Segments.SequenceEqual(y.Segments, StringComparer.Ordinal));

        public int GetHashCode(DefinitionSource s) => HashCode.Combine(s.JourneyId, s.Version, s.Journey.Length, s.Segments.Count);
    }
}
