namespace Journeys.Core.Definitions;

/// <summary>
/// A split's <c>experiment</c> (DESIGN §10): a conversion counts for the path a user took when the
/// <see cref="Metric"/> event happens within <see cref="Window"/> of taking it.
/// </summary>
/// <param name="Metric"><c>goal</c> (the journey's goal event and its where), or an event name.</param>
public sealed record ExperimentRule(string Metric, IsoDuration Window, WinnerRule? Winner)
{
    public const string GoalMetric = "goal";

    public bool UsesGoal => Metric == GoalMetric;
}

/// <summary>
/// Automatic winner selection: once <see cref="After"/> has passed since the first user took the split and
/// every path has <see cref="MinPerPath"/> entries, new users take the best path that beats the control significantly.
/// </summary>
public sealed record WinnerRule(IsoDuration After, int MinPerPath);
