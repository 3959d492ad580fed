namespace Journeys.Core.Conditions;

/// <summary>A condition compiled once per definition version; <see cref="Evaluate"/> allocates nothing.</summary>
public abstract class CompiledCondition
{
    public abstract bool Evaluate(in ConditionContext context);

    /// <summary>The condition that always holds (an absent <c>where</c>).</summary>
    public static CompiledCondition Always { get; } = new Constant(true);

    private sealed class Constant(bool value) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context) => value;
    }
}
