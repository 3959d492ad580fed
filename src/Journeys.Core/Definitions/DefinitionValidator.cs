namespace Journeys.Core.Definitions;

/// <summary>
/// The rules that need a whole journey graph or all files at once: unreachable steps, instant loops,
/// waits longer than the journey may last, unknown and circular segment references.
/// </summary>
public static class DefinitionValidator
{
    /// <param name="reportUnreachable">
    /// False when a step reference was already reported unknown: the steps it hid would each be
    /// reported again as unreachable, burying the one real mistake.
    /// </param>
    public static IEnumerable<DefinitionProblem> ValidateJourney(string file, JourneyDefinition journey, bool reportUnreachable = true)
    {
        var steps = JsonPath.Field(JsonPath.Root, "steps");
        var reachable = reportUnreachable ? Reachable(journey) : journey.Steps.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var id in journey.Steps.Keys.Where(id => !reachable.Contains(id)))
        {
            yield return new DefinitionProblem(file, JsonPath.Field(steps, id), $"step '{id}' is unreachable from start '{journey.Start}'");
        }
        foreach (var loop in InstantLoops(journey))
        {
            yield return new DefinitionProblem(file, JsonPath.Field(steps, loop[0]),
                $"instant loop {string.Join(" -> ", loop)} -> {loop[0]}: a loop must pass a delay (for/until) or a waitFor");
        }
        foreach (var split in journey.Steps.Values.OfType<SplitStep>())
        {
            if (split.Experiment is { UsesGoal: true } && journey.Goal is null)
            {
                yield return new DefinitionProblem(file, JsonPath.Field(JsonPath.Field(JsonPath.Field(steps, split.Id), "experiment"), "metric"),
                    "the experiment measures the journey's goal, but the journey has no 'goal' (add one, or name the metric event)");
            }
        }
        if (journey.Exit?.MaxDuration is { } max)
        {
            foreach (var (id, step) in journey.Steps)
            {
                var (field, wait) = step switch
                {
                    DelayStep { For: { } d } => ("for", d.Approximate),
                    DelayStep { Until: not null, Days: > 0 } d => ("days", TimeSpan.FromDays(d.Days)),
                    WaitForStep w => ("timeout", w.Timeout.Approximate),
                    _ => ("", TimeSpan.Zero),
                };
                if (wait > max.Approximate)
                {
                    yield return new DefinitionProblem(file, JsonPath.Field(JsonPath.Field(steps, id), field),
                        $"waits longer than the journey's maxDuration {max}");
                }
            }
        }
    }

    /// <summary>
    /// Jump steps to journeys that do not exist, and cycles of jumps that no wait breaks (A's start
    /// reaches a jump to B without waiting, B's to A...): a user would bounce between them in one instant.
    /// </summary>
    /// <param name="known">Every journey id defined (valid or not: a broken target is reported in its own file).</param>
    public static IEnumerable<DefinitionProblem> ValidateJumps(IReadOnlyList<(string File, JourneyDefinition Journey)> journeys, IReadOnlySet<string> known)
    {
        var steps = JsonPath.Field(JsonPath.Root, "steps");
        var instant = new Dictionary<string, List<JumpStep>>(StringComparer.Ordinal);
        foreach (var (file, journey) in journeys)
        {
            foreach (var jump in journey.Steps.Values.OfType<JumpStep>())
            {
                if (!known.Contains(jump.Journey))
                {
                    yield return new DefinitionProblem(file, JsonPath.Field(JsonPath.Field(steps, jump.Id), "journey"), $"unknown journey '{jump.Journey}'");
                }
            }
            instant[journey.Id] = InstantJumps(journey);
        }
        foreach (var (file, journey) in journeys)
        {
            foreach (var jump in instant[journey.Id])
            {
                if (JumpPath(instant, jump.Journey, journey.Id) is { } cycle)
                {
                    yield return new DefinitionProblem(file, JsonPath.Field(JsonPath.Field(steps, jump.Id), "journey"),
                        $"jump cycle with no wait: {journey.Id} -> {string.Join(" -> ", cycle)} (a delay or waitFor must come before one of the jumps)");
                }
            }
        }
    }

    /// <summary>The jumps a new enrollment can reach from start in the same instant (no waiting step on the way).</summary>
    private static List<JumpStep> InstantJumps(JourneyDefinition journey)
    {
        var found = new List<JumpStep>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([journey.Start]);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || !journey.Steps.TryGetValue(id, out var step) || step.Waits)
            {
                continue;
            }
            if (step is JumpStep jump)
            {
                found.Add(jump);
            }
            foreach (var next in step.Successors)
            {
                if (next is not null) queue.Enqueue(next);
            }
        }
        return found;
    }

    /// <summary>The journeys from <paramref name="from"/> to <paramref name="to"/> along instant jumps, or null.</summary>
    private static List<string>? JumpPath(Dictionary<string, List<JumpStep>> instant, string from, string to)
    {
        var previous = new Dictionary<string, string?>(StringComparer.Ordinal) { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (id == to)
            {
                var path = new List<string>();
                for (string? at = id; at is not null; at = previous[at]) path.Insert(0, at);
                return path;
            }
            foreach (var jump in instant.GetValueOrDefault(id) ?? [])
            {
                if (previous.TryAdd(jump.Journey, id)) queue.Enqueue(jump.Journey);
            }
        }
        return null;
    }

    /// <summary>Segment references to segments that do not exist.</summary>
    public static IEnumerable<DefinitionProblem> ValidateReferences(string file, IEnumerable<(string Segment, string Path)> references, IReadOnlySet<string> segments) =>
        references.Where(r => !segments.Contains(r.Segment))
            .Select(r => new DefinitionProblem(file, r.Path, $"unknown segment '{r.Segment}'"));

    /// <summary>Segments whose <c>inSegment</c> references lead back to themselves.</summary>
    public static IEnumerable<string> CircularSegments(IReadOnlyDictionary<string, IReadOnlyList<string>> referencesBySegment)
    {
        foreach (var start in referencesBySegment.Keys.Order(StringComparer.Ordinal))
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(referencesBySegment[start]);
            while (stack.Count > 0)
            {
                var next = stack.Pop();
                if (next == start)
                {
                    yield return start;
                    break;
                }
                if (seen.Add(next) && referencesBySegment.TryGetValue(next, out var more))
                {
                    foreach (var m in more) stack.Push(m);
                }
            }
        }
    }

    private static HashSet<string> Reachable(JourneyDefinition journey)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([journey.Start]);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            if (!seen.Add(id) || !journey.Steps.TryGetValue(id, out var step))
            {
                continue;
            }
            foreach (var next in step.Successors)
            {
                if (next is not null) queue.Enqueue(next);
            }
        }
        return seen;
    }

    /// <summary>Cycles made only of steps that do not wait: an enrollment would spin in one instant.</summary>
    private static List<List<string>> InstantLoops(JourneyDefinition journey)
    {
        var loops = new List<List<string>>();
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the stack, 2 = done
        var path = new List<string>();

        void Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            var step = journey.Steps[id];
            if (!step.Waits)
            {
                foreach (var next in step.Successors.Distinct())
                {
                    if (next is null || !journey.Steps.ContainsKey(next))
                    {
                        continue;
                    }
                    if (state.GetValueOrDefault(next) == 1)
                    {
                        var from = path.IndexOf(next);
                        loops.Add(path.Skip(from).ToList());
                    }
                    else if (!state.ContainsKey(next) && !journey.Steps[next].Waits)
                    {
                        Visit(next);
                    }
                }
            }
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
        }

        foreach (var id in journey.Steps.Keys)
        {
            if (!state.ContainsKey(id) && !journey.Steps[id].Waits)
            {
                Visit(id);
            }
        }
        return loops;
    }
}
