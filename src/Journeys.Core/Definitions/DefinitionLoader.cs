namespace Journeys.Core.Definitions;

/// <summary>Every valid definition found, and every problem (a file with problems contributes nothing).</summary>
public sealed record LoadResult(
    IReadOnlyList<JourneyDefinition> Journeys,
    IReadOnlyList<SegmentDefinition> Segments,
    IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>Loads <c>*.journey.json</c> and <c>*.segment.json</c> files and validates them together.</summary>
public static class DefinitionLoader
{
    public const string JourneySuffix = ".journey.json";
    public const string SegmentSuffix = ".segment.json";

    /// <summary>Definition files larger than this are refused unread.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Loads a folder recursively, in ordinal path order so results never depend on the file system.</summary>
    public static LoadResult LoadDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return new LoadResult([], [], [new DefinitionProblem(directory, JsonPath.Root, "no such directory")]);
        }
        var files = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(JourneySuffix, StringComparison.OrdinalIgnoreCase) || f.EndsWith(SegmentSuffix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        var sources = new List<(string File, string Json)>();
        var problems = new List<DefinitionProblem>();
        foreach (var file in files)
        {
            try
            {
                if (new FileInfo(file).Length > MaxFileBytes)
                {
                    problems.Add(new DefinitionProblem(file, JsonPath.Root, $"file is larger than {MaxFileBytes / 1024 / 1024} MiB"));
                    continue;
                }
                sources.Add((file, File.ReadAllText(file)));
            }
            catch (IOException e)
            {
                problems.Add(new DefinitionProblem(file, JsonPath.Root, $"cannot read: {e.Message}"));
            }
            catch (UnauthorizedAccessException e)
            {
                problems.Add(new DefinitionProblem(file, JsonPath.Root, $"cannot read: {e.Message}"));
            }
        }
        var result = Load(sources);
        return problems.Count == 0 ? result : result with { Problems = [.. problems, .. result.Problems] };
    }

    /// <summary>Loads definitions given as (file name, JSON); the suffix tells a journey from a segment.</summary>
    public static LoadResult Load(IEnumerable<(string File, string Json)> sources)
    {
        var problems = new List<DefinitionProblem>();
        var segments = new List<(string File, ReadResult<SegmentDefinition> Read)>();
        var journeys = new List<(string File, ReadResult<JourneyDefinition> Read)>();
        foreach (var (file, json) in sources)
        {
            if (file.EndsWith(SegmentSuffix, StringComparison.OrdinalIgnoreCase))
            {
                segments.Add((file, DefinitionReader.ReadSegment(file, json)));
            }
            else
            {
                journeys.Add((file, DefinitionReader.ReadJourney(file, json)));
            }
        }

        var segmentIds = new HashSet<string>(StringComparer.Ordinal);
        var seenSegments = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, read) in segments)
        {
            if (read.Definition is { } s && !seenSegments.TryAdd(s.Id, file))
            {
                problems.Add(new DefinitionProblem(file, "$.id", $"segment id '{s.Id}' is already defined in {seenSegments[s.Id]}"));
            }
            if (read.Definition is not null) segmentIds.Add(read.Definition.Id);
        }

        var validSegments = new List<SegmentDefinition>();
        var segmentRefs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (file, read) in segments)
        {
            var fileProblems = read.Problems.Concat(DefinitionValidator.ValidateReferences(file, read.SegmentReferences, segmentIds)).ToList();
            problems.AddRange(fileProblems);
            if (read.Definition is { } s)
            {
                segmentRefs[s.Id] = read.SegmentReferences.Select(r => r.Segment).ToList();
                if (fileProblems.Count == 0 && seenSegments[s.Id] == file) validSegments.Add(s);
            }
        }
        var circular = DefinitionValidator.CircularSegments(segmentRefs).ToHashSet(StringComparer.Ordinal);
        foreach (var id in circular)
        {
            problems.Add(new DefinitionProblem(seenSegments[id], "$.when", $"segment '{id}' refers back to itself through inSegment"));
        }
        validSegments.RemoveAll(s => circular.Contains(s.Id));
        // a segment that depends on a broken one is broken too
        var usable = validSegments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        for (var changed = true; changed;)
        {
            changed = validSegments.RemoveAll(s => segmentRefs[s.Id].Any(r => !usable.Contains(r))) > 0;
            usable = validSegments.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        }

        var validJourneys = new List<JourneyDefinition>();
        var seenJourneys = new Dictionary<string, string>(StringComparer.Ordinal);
        var journeyIds = journeys.Where(j => j.Read.Definition is not null).Select(j => j.Read.Definition!.Id).ToHashSet(StringComparer.Ordinal);
        var jumpProblems = DefinitionValidator.ValidateJumps(
                journeys.Where(j => j.Read.Definition is not null).Select(j => (j.File, j.Read.Definition!)).ToList(), journeyIds)
            .ToLookup(p => p.File, StringComparer.Ordinal);
        foreach (var (file, read) in journeys)
        {
            var fileProblems = read.Problems.Concat(DefinitionValidator.ValidateReferences(file, read.SegmentReferences, segmentIds)).ToList();
            fileProblems.AddRange(jumpProblems[file]);
            if (read.Definition is { } j)
            {
                var unknownStep = read.Problems.Any(p => p.Message.StartsWith("unknown step '", StringComparison.Ordinal));
                fileProblems.AddRange(DefinitionValidator.ValidateJourney(file, j, reportUnreachable: !unknownStep));
                fileProblems.AddRange(read.SegmentReferences
                    .Where(r => segmentIds.Contains(r.Segment) && !usable.Contains(r.Segment))
                    .Select(r => new DefinitionProblem(file, r.Path, $"segment '{r.Segment}' is invalid (see its own problems)")));
                if (!seenJourneys.TryAdd(j.Id, file))
                {
                    fileProblems.Add(new DefinitionProblem(file, "$.id", $"journey id '{j.Id}' is already defined in {seenJourneys[j.Id]}"));
                }
                if (fileProblems.Count == 0) validJourneys.Add(j);
            }
            problems.AddRange(fileProblems);
        }
        return new LoadResult(validJourneys, validSegments, problems);
    }
}
