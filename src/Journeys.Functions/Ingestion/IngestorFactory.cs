using Journeys.Core.Runtime;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Ingestion;

/// <summary>An ingestor per invocation, around that invocation's buffered signals.</summary>
/// <param name="counters">Entries of journeys with <c>limits</c>, shared by every instance (the counters table).</param>
/// <param name="experiments">Assignments of winner-rule splits, which the ingestion converts (the counters table); none: not converted.</param>
public sealed class IngestorFactory(DefinitionCatalog catalog, TableUserPartition users, TableTraceOutput traces, TableEntryCounters counters,
    TableExperimentCounters? experiments = null)
{
    public EventIngestor Create(IEnrollmentSignals signals) =>
        new(() => catalog.Current, users, signals, traces, catalog.IsPaused, counters, experiments);

    public TableTraceOutput Traces => traces;
}
