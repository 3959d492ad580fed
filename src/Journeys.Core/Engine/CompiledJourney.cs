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

    public CompiledJourney(JourneyDefinition definition, int version, Func<string, CompiledCondition> segments)
    {
        Definition = definition;
        Version = version;
        CompiledCondition Compile(Condition? c) => ConditionCompiler.Compile(c, segments);

        EntryWhere = Compile((definition.Entry as EventEntry)?.Where);
        GoalWhere = Compile(definition.Goal?.Where);
        ExitWhere = definition.Exit?.Events.Select(e => Compile(e.Where)).ToArray() ?? [];
        Include = definition.Audience?.Include.Select(segments).ToArray() ?? [];
        Exclude = definition.Audience?.Exclude.Select(segments).ToArray() ?? [];
        foreach (var step in definition.Steps.Values)
        {
            switch (step)
            {
                case WaitForStep w:
                    _conditions[w.Id] = Compile(w.Where);
                    break;
                case BranchStep b:
                    for (var i = 0; i < b.Paths.Count; i++)
                    {
                        _conditions[PathKey(b.Id, i)] = Compile(b.Paths[i].When);
                    }
                    break;
                case SendStep s:
                    foreach (var (channel, content) in s.Content)
                    {
                        _templates[(s.Id, channel)] = new MessageTemplate(channel, content);
                    }
                    break;
            }
        }
    }

    public JourneyDefinition Definition { get; }

    public int Version { get; }

    public string Id => Definition.Id;

    public CompiledCondition EntryWhere { get; }

    public CompiledCondition GoalWhere { get; }

    /// <summary>Index-aligned with the definition's exit events.</summary>
    public CompiledCondition[] ExitWhere { get; }

    public CompiledCondition[] Include { get; }

    public CompiledCondition[] Exclude { get; }

    public CompiledCondition WaitWhere(string stepId) => _conditions[stepId];

    public CompiledCondition BranchWhen(string stepId, int path) => _conditions[PathKey(stepId, path)];

    public MessageTemplate Template(string stepId, Channel channel) => _templates[(stepId, channel)];

    private static string PathKey(string stepId, int index) => $"{stepId}\n{index}";
}
