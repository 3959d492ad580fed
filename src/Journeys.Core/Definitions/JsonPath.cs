namespace Journeys.Core.Definitions;

/// <summary>Builds the JSON paths problems are reported at (<c>$.steps.wait.for</c>, <c>$.paths[1]</c>, <c>$.steps['my step']</c>).</summary>
public static class JsonPath
{
    public const string Root = "$";

    public static string Field(string parent, string name) =>
        IsPlain(name) ? $"{parent}.{name}" : $"{parent}['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";

    public static string Index(string parent, int index) => $"{parent}[{index}]";

    private static bool IsPlain(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '$');
}
