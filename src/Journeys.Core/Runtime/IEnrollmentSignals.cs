using Journeys.Core.Engine;
using Journeys.Core.Orchestration;

namespace Journeys.Core.Runtime;

/// <summary>
/// How the Azure ingestion reaches enrollments that run elsewhere (one Durable orchestration each):
/// start one, hand it a customer event or a stop. Implementations must make a repeated start of the
/// same enrollment id a no-op (the instance id is <c>{journey}:{user}:{entryNo}</c>).
/// </summary>
public interface IEnrollmentSignals
{
    void Start(EnrollmentState state);

    void Deliver(string enrollmentId, EnrollmentSignal signal);
}
