using Journeys.Core.Engine;

namespace Journeys.Core.Orchestration;

/// <summary>
/// Published journey versions by (id, version). A published version never changes, so an orchestrator
/// may read it during replay and always get the same definition.
/// </summary>
public interface IJourneyCatalog
{
    CompiledJourney? Find(string journeyId, int version);
}

/// <summary>A catalog over the definition set a runner serves (its current and retired versions).</summary>
public sealed class DefinitionSetCatalog(Func<DefinitionSet> definitions) : IJourneyCatalog
{
    public CompiledJourney? Find(string journeyId, int version) => definitions().Journey(journeyId, version);
}
