using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Conditions;

/// <summary>
/// The condition language as written in definitions (DESIGN §4). Each record is one JSON form;
/// <see cref="ConditionCompiler"/> turns a tree of them into an allocation-free evaluator.
/// </summary>
public abstract record Condition;

/// <summary>Where a value test reads from.</summary>
public enum ValueSource { Property, Trait }

public enum Operator { Eq, Ne, Gt, Gte, Lt, Lte, In, NotIn, Contains, NotContains, StartsWith, EndsWith, Exists }

/// <summary><c>{"property": path, op: operand}</c> or <c>{"trait": path, op: operand}</c>.</summary>
public sealed record ValueTest(ValueSource Source, string Path, Operator Operator, Value Operand) : Condition;

public enum DateTestKind { WithinNext, WithinLast, AnniversaryWithinNext }

/// <summary><c>{"trait": path, "withinNext" | "withinLast" | "anniversaryWithinNext": duration}</c>.</summary>
public sealed record DateTest(string Path, DateTestKind Kind, IsoDuration Duration) : Condition;

public enum CountOperator { Gte, Gt, Eq, Lte, Lt }

public sealed record CountTest(CountOperator Operator, int Value)
{
    public static CountTest AtLeastOnce { get; } = new(CountOperator.Gte, 1);
}

/// <summary>
/// <c>{"performed": E, "where"?, "within"? | "since": "entry", "count"?}</c>; with <see cref="Negated"/>
/// it is <c>{"notPerformed": E, ...}</c> (no matching event in the window).
/// </summary>
public sealed record HistoryTest(string Event, bool Negated, Condition? Where, IsoDuration? Within, bool SinceEntry, CountTest Count) : Condition;

public sealed record InSegment(string SegmentId) : Condition;

public sealed record AllOf(IReadOnlyList<Condition> Conditions) : Condition;

public sealed record AnyOf(IReadOnlyList<Condition> Conditions) : Condition;

public sealed record NotOf(Condition Condition) : Condition;
