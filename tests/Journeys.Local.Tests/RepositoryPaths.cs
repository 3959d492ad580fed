namespace Journeys.Local.Tests;

/// <summary>Finds the repository (the folder holding Functions.sln) from the test's output folder.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples => Path.Combine(Root, "samples");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Functions.sln) above " + AppContext.BaseDirectory);
    }
}
