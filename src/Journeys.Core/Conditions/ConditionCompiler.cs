using System.Globalization;
using Journeys.Core.Audience;
using Journeys.Core.Definitions;

namespace Journeys.Core.Conditions;

/// <summary>
/// Compiles the condition records into a tree of small evaluator objects: paths are split, operands
/// resolved and segments linked once, so evaluation is a walk with no allocation.
/// </summary>
public static class ConditionCompiler
{
    /// <param name="segment">Resolves <c>inSegment</c> to the segment's compiled condition (validated to exist, acyclic).</param>
    public static CompiledCondition Compile(Condition? condition, Func<string, CompiledCondition> segment) => Compile(condition, segment, null);

    /// <param name="segment">Resolves <c>inSegment</c> to the segment's compiled condition (validated to exist, acyclic).</param>
    /// <param name="historyPropertiesRead">
    /// Receives the event name of every <c>performed … where</c> compiled: the only condition that reads the properties
    /// of past events (a segment's are the segment compiler's to report).
    /// </param>
    public static CompiledCondition Compile(Condition? condition, Func<string, CompiledCondition> segment, ISet<string>? historyPropertiesRead)
    {
        CompiledCondition Next(Condition c) => Compile(c, segment, historyPropertiesRead);
        if (condition is HistoryTest { Where: not null } read)
        {
            historyPropertiesRead?.Add(read.Event);
        }
        return condition switch
        {
            null => CompiledCondition.Always,
            ValueTest t => new ValueTestNode(t.Source, SplitPath(t.Path), t.Operator, t.Operand),
            DateTest d => new DateTestNode(SplitPath(d.Path), d.Kind, d.Duration),
            HistoryTest h => new HistoryNode(h.Event, h.Negated, h.Where is null ? null : Next(h.Where), h.Within, h.SinceEntry, h.Count),
            InSegment s => new SegmentNode(segment(s.SegmentId)),
            AllOf all => new AllNode(CheapestFirst(all.Conditions).Select(Next).ToArray()),
            AnyOf any => new AnyNode(CheapestFirst(any.Conditions).Select(Next).ToArray()),
            NotOf not => new NotNode(Next(not.Condition)),
            _ => throw new ArgumentOutOfRangeException(nameof(condition), condition.GetType().Name, "unknown condition form"),
        };
    }

    private static string[] SplitPath(string path) => path.Split('.');

    /// <summary>
    /// Conditions are pure, so <c>all</c>/<c>any</c> may test their parts in any order: the cheap
    /// look-ups first, history scans last, so a failing trait test spares the scan.
    /// </summary>
    private static IEnumerable<Condition> CheapestFirst(IReadOnlyList<Condition> conditions) => conditions.OrderBy(Cost);

    private static int Cost(Condition condition) => condition switch
    {
        ValueTest or DateTest => 1,
        InSegment => 5,
        NotOf not => Cost(not.Condition),
        AllOf all => all.Conditions.Sum(Cost),
        AnyOf any => any.Conditions.Sum(Cost),
        _ => 20,
    };

    private sealed class ValueTestNode(ValueSource source, string[] path, Operator op, Value operand) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context)
        {
            var root = source == ValueSource.Trait ? context.Profile.TraitsValue : context.Event;
            return ValueComparison.Test(root.Get(path), op, operand);
        }
    }

    private sealed class DateTestNode(string[] path, DateTestKind kind, IsoDuration duration) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context)
        {
            var value = context.Profile.TraitsValue.Get(path);
            var zone = context.Profile.TimeZone;
            if (!TryReadDate(value, zone, out var instant, out var localDate))
            {
                return false;
            }
            var now = context.Now;
            switch (kind)
            {
                case DateTestKind.WithinNext:
                    return instant >= now && instant <= duration.AddTo(now);
                case DateTestKind.WithinLast:
                    return instant <= now && instant >= duration.SubtractFrom(now);
                default:
                    var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
                    var next = Anniversary(localDate, today.Year);
                    if (next < today)
                    {
                        next = Anniversary(localDate, today.Year + 1);
                    }
                    return next <= duration.AddTo(today);
            }
        }

        /// <summary>The month-day in a given year; 29 February falls on the 28th in common years.</summary>
        private static DateOnly Anniversary(DateOnly date, int year) =>
            new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)));

        /// <summary>A date-only value is midnight in the profile's timezone; a timestamp keeps its instant.</summary>
        private static bool TryReadDate(Value value, TimeZoneInfo zone, out DateTimeOffset instant, out DateOnly localDate)
        {
            instant = default;
            localDate = default;
            var text = value.AsString;
            if (text is null)
            {
                return false;
            }
            if (DateOnly.TryParseExact(text.AsSpan(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out localDate))
            {
                var local = localDate.ToDateTime(TimeOnly.MinValue);
                instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
                return true;
            }
            if (DateTimeOffset.TryParse(text.AsSpan(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant))
            {
                localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);
                return true;
            }
            return false;
        }
    }

    private sealed class HistoryNode(string eventName, bool negated, CompiledCondition? where, IsoDuration? within, bool sinceEntry, CountTest count)
        : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context)
        {
            var history = AsSpan(context.History);
            var after = within is { } w ? w.SubtractFrom(context.Now).UtcTicks : long.MinValue;
            var now = context.Now.UtcTicks;
            var matches = 0;
            for (var i = history.Length - 1; i >= 0; i--)
            {
                ref readonly var e = ref history[i];
                if (sinceEntry && e.Sequence <= context.EntrySequence)
                {
                    break;
                }
                // the name first: names are interned, so this is usually a reference comparison
                if (!string.Equals(e.Event, eventName, StringComparison.Ordinal))
                {
                    continue;
                }
                var at = e.Timestamp.UtcTicks;
                if (at <= after || at > now)
                {
                    continue;
                }
                if (where is not null && !where.Evaluate(context.WithEvent(e.Properties)))
                {
                    continue;
                }
                matches++;
            }
            var holds = count.Operator switch
            {
                CountOperator.Gte => matches >= count.Value,
                CountOperator.Gt => matches > count.Value,
                CountOperator.Eq => matches == count.Value,
                CountOperator.Lte => matches <= count.Value,
                _ => matches < count.Value,
            };
            return holds != negated;
        }
    }

    /// <summary>The history as a span: the stores hand out lists or arrays, and a span walk skips interface calls.</summary>
    private static ReadOnlySpan<HistoryEvent> AsSpan(IReadOnlyList<HistoryEvent> history) => history switch
    {
        HistoryEvent[] array => array,
        List<HistoryEvent> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => history.ToArray(),
    };

    private sealed class SegmentNode(CompiledCondition segment) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context) => segment.Evaluate(context);
    }

    private sealed class AllNode(CompiledCondition[] conditions) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context)
        {
            foreach (var c in conditions)
            {
                if (!c.Evaluate(context)) return false;
            }
            return true;
        }
    }

    private sealed class AnyNode(CompiledCondition[] conditions) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context)
        {
            foreach (var c in conditions)
            {
                if (c.Evaluate(context)) return true;
            }
            return false;
        }
    }

    private sealed class NotNode(CompiledCondition condition) : CompiledCondition
    {
        public override bool Evaluate(in ConditionContext context) => !condition.Evaluate(context);
    }
}
