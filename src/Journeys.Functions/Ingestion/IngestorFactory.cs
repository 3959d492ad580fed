using Journeys.Core.Runtime;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Ingestion;

/// <summary>An ingestor per invocation, around that invocation's buffered signals.</summary>
public sealed class IngestorFactory(DefinitionCatalog catalog, TableUserPartition users, TableTraceOutput traces)
{
    public EventIngestor Create(IEnrollmentSignals signals) =>
        new(() => catalog.Current, users, signals, traces, catalog.IsPaused);

    public TableTraceOutput Traces => traces;
}
