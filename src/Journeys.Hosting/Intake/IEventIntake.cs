using Journeys.Core.Audience;

namespace Journeys.Hosting.Intake;

/// <summary>What became of a batch of events once it is durable.</summary>
public readonly record struct IngestCounts(int Accepted, int Duplicates);

/// <summary>
/// Where the HTTP intake hands a request's valid events, as one batch (serve's engine loop; the dev host's
/// ingestion handler), and where the Segment routes keep what they could not take.
/// </summary>
public interface IEventIntake
{
    /// <summary>Completes once the accepted events are durable.</summary>
    Task<IngestCounts> IngestAsync(IReadOnlyList<CustomerEvent> events, CancellationToken cancel);

    /// <summary>Keeps rejected calls with their reason (the rejected-events store behind <c>GET /v1/rejected</c>); completes once durable.</summary>
    Task KeepRejectedAsync(IReadOnlyList<RejectedCall> rejected, CancellationToken cancel);
}

/// <summary>A call an SDK route could not take: the route, why, and its raw bytes (the intake bounds what it keeps).</summary>
public sealed record RejectedCall(string Source, string Reason, ReadOnlyMemory<byte> Body, bool Truncated = false);
