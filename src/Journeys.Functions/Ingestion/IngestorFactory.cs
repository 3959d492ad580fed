using Journeys.Core.Runtime;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Ingestion;

/// <summary>An ingestor per invocation, around that invocation's buffered signals.</summary>
/// <param name="counters">Entries of journeys with <c>limits</c>, shared by every instance (the counters table).</param>
public sealed class IngestorFactory(DefinitionCatalog catalog, TableUserPartition users, TableTraceOutput traces, TableEntryCounters counters)
{
    public EventIngestor Create(IEnrollmentSignals signals) =>
        new(() => catalog.Current, users, signals, traces, catalog.IsPaused, counters);

    public TableTraceOutput Traces => traces;
}
