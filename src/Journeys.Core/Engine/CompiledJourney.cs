using System.Collections.Frozen;
using Journeys.Core.Conditions;
using Journeys.Core.Definitions;

namespace Journeys.Core.Engine;

/// <summary>
/// A journey version ready to run: its conditions compiled and its templates parsed once, so the
/// engine's hot path only evaluates.
/// </summary>
public sealed class CompiledJourney
{
    private readonly Dictionary<string, CompiledCondition> _conditions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Step, Channel Channel), MessageTemplate> _templates = [];
    private readonly Dictionary<string, string[]> _datePaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EdgeTaken[]> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StepReached> _reached = new(StringComparer.Ordinal);

    public CompiledJourney(JourneyDefinition definition, int version, Func<string, CompiledCondition> segments)
    {
        Definition = definition;
        Version = version;
        var historyPropertiesRead = new HashSet<string>(StringComparer.Ordinal);
        CompiledCondition Compile(Condition? c) => ConditionCompiler.Compile(c, segments, historyPropertiesRead);

        EntryWhere = Compile((definition.Entry as EventEntry)?.Where);
        GoalWhere = Compile(definition.Goal?.Where);
        ExitWhere = definition.Exit?.Events.Select(e => Compile(e.Where)).ToArray() ?? [];
        Include = definition.Audience?.Include.Select(segments).ToArray() ?? [];
        EntryKey = (definition.Entry as EventEntry)?.Key;
        EntryKeyPath = EntryKeys.Path(EntryKey);
        ExitSegments = definition.Exit?.Segments ?? [];
        var reacts = new HashSet<string>(StringComparer.Ordinal);
        if (definition.Goal is { } goal) reacts.Add(goal.Event);
        foreach (var e in definition.Exit?.Events ?? []) reacts.Add(e.Event);
        foreach (var step in definition.Steps.Values.OfType<WaitForStep>())
        {
            if (step.Events.Count == 0) reacts.Add(step.Event);
            foreach (var e in step.Events) reacts.Add(e.Event);
        }
        ReactsTo = reacts.ToFrozenSet(StringComparer.Ordinal);
        Exclude = definition.Audience?.Exclude.Select(segments).ToArray() ?? [];
        foreach (var step in definition.Steps.Values)
        {
            _reached[step.Id] = new StepReached(definition.Id, step.Id);
            // a missing next completes the journey: that move is an edge to the graph's end
            _edges[step.Id] = [.. step.Successors.Select(to => to ?? JourneyGraph.EndNode).Distinct(StringComparer.Ordinal).Select(to => new EdgeTaken(definition.Id, step.Id, to))];
            switch (step)
            {
                case WaitForStep w:
                    _conditions[w.Id] = Compile(w.Where);
                    for (var i = 0; i < w.Events.Count; i++)
                    {
                        _conditions[PathKey(w.Id, i)] = Compile(w.Events[i].Where);
                    }
                    break;
                case BranchStep b:
                    for (var i = 0; i < b.Paths.Count; i++)
                    {
                        _conditions[PathKey(b.Id, i)] = Compile(b.Paths[i].When);
                    }
                    break;
                case DelayStep { IsRelativeToDate: true } d:
                    _datePaths[d.Id] = (d.UntilTrait ?? d.UntilProperty)!.Split('.');
                    break;
                case SendStep s:
                    foreach (var (channel, content) in s.Content)
                    {
                        _templates[(s.Id, channel)] = new MessageTemplate(channel, content);
                    }
                    break;
            }
        }
        HistoryPropertiesRead = historyPropertiesRead;
    }

    public JourneyDefinition Definition { get; }

    /// <summary>Events whose past properties this journey's own conditions read (<c>performed … where</c>); its segments' are the set's.</summary>
    public IReadOnlySet<string> HistoryPropertiesRead { get; }

    public int Version { get; }

    public string Id => Definition.Id;

    public CompiledCondition EntryWhere { get; }

    public CompiledCondition GoalWhere { get; }

    /// <summary>Index-aligned with the definition's exit events.</summary>
    public CompiledCondition[] ExitWhere { get; }

    public CompiledCondition[] Include { get; }

    /// <summary>The entry event's property that keys enrollments (DESIGN §9), or null.</summary>
    public string? EntryKey { get; }

    /// <summary><see cref="EntryKey"/> split once for evaluation.</summary>
    public string[]? EntryKeyPath { get; }

    /// <summary>Segments whose leaving ends an enrollment (<c>exit.segments</c>).</summary>
    public IReadOnlyList<string> ExitSegments { get; }

    /// <summary>
    /// Event names an enrollment can act on (goal, exit events, any waitFor's events): another event
    /// cannot change an enrollment, so a driver need not hand it over.
    /// </summary>
    public FrozenSet<string> ReactsTo { get; }

    public CompiledCondition[] Exclude { get; }

    public CompiledCondition WaitWhere(string stepId) => _conditions[stepId];

    public CompiledCondition BranchWhen(string stepId, int path) => _conditions[PathKey(stepId, path)];

    /// <summary>The <c>where</c> of a multi-event wait's entry <paramref name="index"/>.</summary>
    public CompiledCondition WaitEventWhere(string stepId, int index) => _conditions[PathKey(stepId, index)];

    /// <summary>A date delay's <c>untilTrait</c> / <c>untilProperty</c>, split once.</summary>
    public string[] DatePath(string stepId) => _datePaths[stepId];

    public MessageTemplate Template(string stepId, Channel channel) => _templates[(stepId, channel)];

    /// <summary>The one arrival instance of step <paramref name="stepId"/>.</summary>
    public StepReached Reached(string stepId) => _reached[stepId];

    /// <summary>The one edge instance from step <paramref name="from"/> to <paramref name="to"/>; null when the graph has no such edge.</summary>
    public EdgeTaken? Edge(string from, string to)
    {
        if (!_edges.TryGetValue(from, out var edges)) return null;
        foreach (var edge in edges)
        {
            if (string.Equals(edge.To, to, StringComparison.Ordinal)) return edge;
        }
        return null;
    }

    private static string PathKey(string stepId, int index) => $"{stepId}\n{index}";
}
