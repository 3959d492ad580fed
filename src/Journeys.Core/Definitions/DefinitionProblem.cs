namespace Journeys.Core.Definitions;

/// <summary>One thing wrong with a definition: the file, the JSON path inside it, and what is wrong.</summary>
public sealed record DefinitionProblem(string File, string Path, string Message)
{
    public override string ToString() => $"{File}: {Path}: {Message}";
}
