using Journeys.Core.Audience;

namespace Journeys.Hosting.Intake;

/// <summary>What became of a batch of events once it is durable.</summary>
public readonly record struct IngestCounts(int Accepted, int Duplicates);

/// <summary>Where <c>POST /v1/events</c> hands a request's valid events, as one batch (serve's engine loop; the dev host's ingestion handler).</summary>
public interface IEventIntake
{
    /// <summary>Completes once the accepted events are durable.</summary>
    Task<IngestCounts> IngestAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancel);
}
