namespace Journeys.Core.Runtime;

/// <summary>What converting an experiment needs (DESIGN §10): the user's latest assignment and marking it converted.</summary>
public interface IExperimentConversions
{
    ExperimentAssignment? Assignment(string journeyId, string stepId, string userId);

    /// <summary>Marks the user's assignment converted and counts the conversion for its path (a converted one is not counted again).</summary>
    void Convert(string journeyId, string stepId, string userId);
}
