using Journeys.Core.Conditions;
using Journeys.Core.Engine.Experiments;

namespace Journeys.Core.Runtime;

/// <summary>
/// The conversion rule of DESIGN §10, one copy for every runtime: the metric event counts for the path the user
/// took when it comes within the window of taking it, once per assignment, whether or not the enrollment still
/// runs (a control path often ends at once). A goal metric also needs the goal's where.
/// </summary>
public static class ExperimentConversion
{
    /// <param name="counted">Called with the journey and <c>experiment-converted:{step}:{path}</c> for each conversion counted.</param>
    public static void Convert(IReadOnlyList<ExperimentSplit> experiments, IExperimentConversions counters, string userId, DateTimeOffset at,
        in ConditionContext context, Action<string, string>? counted = null)
    {
        foreach (var experiment in experiments)
        {
            var journeyId = experiment.Journey.Id;
            var stepId = experiment.Split.Id;
            if (counters.Assignment(journeyId, stepId, userId) is not { Converted: false } assignment
                || at < assignment.At || at > experiment.Rule.Window.AddTo(assignment.At)
                || (experiment.Rule.UsesGoal && !experiment.Journey.GoalWhere.Evaluate(context)))
            {
                continue;
            }
            counters.Convert(journeyId, stepId, userId);
            counted?.Invoke(journeyId, $"experiment-converted:{stepId}:{assignment.Path}");
        }
    }
}
