using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// How the Azure ingestion reaches enrollments that run elsewhere (one Durable orchestration each). The
/// user's partition already holds what happened (events, the enrollment, stops): these only make sure an
/// orchestration runs and looks. Both are safe to repeat; neither may rely on Durable's instance-id dedupe.
/// </summary>
public interface IEnrollmentSignals
{
    /// <summary>Starts the enrollment's orchestration unless an instance with its id exists (then wakes it).</summary>
    void Start(EnrollmentState state);

    /// <summary>Wakes the enrollment's orchestration to pull; starts it when no instance exists (a start lost to a crash).</summary>
    void Wake(EnrollmentState state);
}
