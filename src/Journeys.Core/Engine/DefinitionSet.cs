using System.Collections.Frozen;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>
/// The compiled definitions a runner serves: segments and journeys by id, plus the look-ups entry
/// evaluation needs (journeys by entry event, streaming segments) so an event touches only what
/// could concern it.
/// </summary>
public sealed class DefinitionSet
{
    private readonly Dictionary<string, CompiledCondition> _segments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompiledJourney> _journeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompiledJourney[]> _byEntryEvent;
    private readonly Dictionary<string, CompiledJourney[]> _bySegmentEntry;
    private readonly Dictionary<(string Id, int Version), CompiledJourney> _retired = [];
    private readonly Dictionary<string, FrozenSet<string>> _byExitSegment;
    private readonly FrozenSet<string> _reactsTo;
    private readonly Dictionary<string, CompiledJourney[]> _reacting;
    private readonly HashSet<string> _segmentHistoryPropertiesRead = new(StringComparer.Ordinal);
    private readonly FrozenSet<string> _historyPropertiesRead;

    public DefinitionSet(IEnumerable<SegmentDefinition> segments, IEnumerable<JourneyDefinition> journeys, int version = 1)
        : this(segments, journeys.Select(j => new JourneyVersion(j, version)), [])
    {
    }

    /// <param name="current">The version of each journey that takes entries.</param>
    /// <param name="retired">Earlier versions that enrollments may still be on (a publish never moves a running enrollment).</param>
    /// <param name="previous">
    /// The set served until now: with the same segment definitions (the same objects), the journeys it compiled from
    /// the same definition objects are taken over rather than compiled again, so a publish compiles the new version
    /// alone (templates make compiling a large journey cost seconds).
    /// </param>
    public DefinitionSet(IEnumerable<SegmentDefinition> segments, IEnumerable<JourneyVersion> current, IEnumerable<JourneyVersion> retired, DefinitionSet? previous = null)
    {
        var definitions = segments.ToDictionary(s => s.Id, StringComparer.Ordinal);
        if (previous is not null && (previous.SegmentDefinitions.Count != definitions.Count
            || definitions.Any(d => !previous.SegmentDefinitions.TryGetValue(d.Key, out var before) || !ReferenceEquals(before, d.Value))))
        {
            previous = null;
        }
        if (previous is not null)
        {
            foreach (var (id, compiled) in previous._segments) _segments[id] = compiled;
            _segmentHistoryPropertiesRead.UnionWith(previous._segmentHistoryPropertiesRead);
        }
        CompiledJourney Compile(JourneyVersion journey, Func<string, CompiledCondition> segment) =>
            previous?.Journey(journey.Definition.Id, journey.Version) is { } before && ReferenceEquals(before.Definition, journey.Definition)
                ? before
                : new CompiledJourney(journey.Definition, journey.Version, segment);
        CompiledCondition Segment(string id)
        {
            if (_segments.TryGetValue(id, out var compiled))
            {
                return compiled;
            }
            if (!definitions.TryGetValue(id, out var definition))
            {
                throw new InvalidOperationException($"unknown segment '{id}' (definitions must be validated before compiling)");
            }
            compiled = ConditionCompiler.Compile(definition.When, Segment, _segmentHistoryPropertiesRead);
            _segments[id] = compiled;
            return compiled;
        }
        foreach (var id in definitions.Keys.Order(StringComparer.Ordinal))
        {
            Segment(id);
        }
        SegmentDefinitions = definitions;
        foreach (var journey in current.OrderBy(j => j.Definition.Id, StringComparer.Ordinal))
        {
            _journeys[journey.Definition.Id] = Compile(journey, Segment);
        }
        foreach (var journey in retired)
        {
            if (!_journeys.TryGetValue(journey.Definition.Id, out var live) || live.Version != journey.Version)
            {
                _retired[(journey.Definition.Id, journey.Version)] = Compile(journey, Segment);
            }
        }
        Journeys = _journeys.Values.ToArray();
        _byEntryEvent = Journeys.Where(j => j.Definition.Entry is EventEntry)
            .GroupBy(j => ((EventEntry)j.Definition.Entry).Event, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _bySegmentEntry = Journeys.Where(j => j.Definition.Entry is SegmentEntry)
            .GroupBy(j => ((SegmentEntry)j.Definition.Entry).Segment, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        // exit.segments of every version an enrollment may be on: leaving is seen by tracking membership
        var all = Journeys.Concat(_retired.Values).ToArray();
        _byExitSegment = all.SelectMany(j => j.ExitSegments.Select(s => (Segment: s, Journey: j.Id))).Distinct()
            .GroupBy(x => x.Segment, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Journey).ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);
        _reactsTo = all.SelectMany(j => j.ReactsTo).ToFrozenSet(StringComparer.Ordinal);
        _historyPropertiesRead = all.SelectMany(j => j.HistoryPropertiesRead).Concat(_segmentHistoryPropertiesRead).ToFrozenSet(StringComparer.Ordinal);
        _reacting = all.SelectMany(j => j.ReactsTo.Select(name => (Name: name, Journey: j)))
            .GroupBy(x => x.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Journey).ToArray(), StringComparer.Ordinal);
        StreamingSegments = _bySegmentEntry.Keys.Union(_byExitSegment.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        StreamingSegmentConditions = StreamingSegments.Select(id => _segments[id]).ToArray();
    }

    public static DefinitionSet From(LoadResult loaded) => new(loaded.Segments, loaded.Journeys);

    /// <summary>All journeys, in id order.</summary>
    public IReadOnlyList<CompiledJourney> Journeys { get; }

    public IReadOnlyDictionary<string, SegmentDefinition> SegmentDefinitions { get; }

    /// <summary>Segments some journey enters on or exits on (<c>exit.segments</c>): their membership is tracked as events arrive.</summary>
    public IReadOnlyList<string> StreamingSegments { get; }

    /// <summary>Index-aligned with <see cref="StreamingSegments"/>.</summary>
    public IReadOnlyList<CompiledCondition> StreamingSegmentConditions { get; }

    /// <summary>The current version of the journey.</summary>
    public CompiledJourney? Journey(string id) => _journeys.GetValueOrDefault(id);

    /// <summary>A given version of the journey: the current one or a retired one an enrollment is still on.</summary>
    public CompiledJourney? Journey(string id, int version) =>
        _journeys.TryGetValue(id, out var live) && live.Version == version ? live : _retired.GetValueOrDefault((id, version));

    public CompiledCondition Segment(string id) => _segments[id];

    public IReadOnlyList<CompiledJourney> EnteredByEvent(string eventName) =>
        _byEntryEvent.TryGetValue(eventName, out var list) ? list : [];

    public IReadOnlyList<CompiledJourney> EnteredBySegment(string segmentId) =>
        _bySegmentEntry.TryGetValue(segmentId, out var list) ? list : [];

    /// <summary>Ids of journeys (any served version) whose enrollments end when the user leaves the segment.</summary>
    public IReadOnlySet<string> ExitedBySegment(string segmentId) =>
        _byExitSegment.TryGetValue(segmentId, out var set) ? set : FrozenSet<string>.Empty;

    /// <summary>
    /// Whether any enrollment of any served version could act on an event of this name (goal, exit,
    /// waitFor): when none can, a driver need not read the user's enrollments for it at all.
    /// </summary>
    public bool AnyReactsTo(string eventName) => _reactsTo.Contains(eventName);

    /// <summary>
    /// Whether any condition of these definitions (every served version, every segment) reads the properties of a past
    /// event of this name (<c>performed … where</c>, recorded as each condition compiles). When none does, a runner whose
    /// definitions cannot change (the simulator) need not keep them in the user's history.
    /// </summary>
    public bool ReadsHistoryProperties(string eventName) => _historyPropertiesRead.Contains(eventName);

    /// <summary>The served versions (current and retired) whose enrollments could act on an event of this name.</summary>
    public IReadOnlyList<CompiledJourney> VersionsReactingTo(string eventName) =>
        _reacting.TryGetValue(eventName, out var list) ? list : [];
}
