using Journeys.Core.Definitions;
using static Journeys.Core.Tests.Definitions.DefinitionKit;

namespace Journeys.Core.Tests.Definitions;

/// <summary><c>*.journey.json</c> and <c>*.segment.json</c>, loaded from a folder recursively; other files ignored.</summary>
public sealed class LoaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "journeys-loader-" + Guid.NewGuid().ToString("N"));

    public LoaderTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void LoadsNestedFoldersAndIgnoresOtherFiles()
    {
        Write(Path.Combine("journeys", "marketing", "cart", "abandoned-cart.journey.json"), DesignJourney);
        Write(Path.Combine("journeys", "welcome.journey.json"), Journey("""{"a":{"type":"send","channel":"sms","content":{"text":"hi"}}}""", id: "welcome", entry: """{"segment":"customers"}"""));
        Write(Path.Combine("segments", "customers.segment.json"), CustomersSegment);
        Write(Path.Combine("segments", "deep", "er", "do-not-contact.segment.json"), DoNotContactSegment);
        // not definitions: ignored even though they are broken
        Write("README.md", "# not json");
        Write("package.json", "{ broken");
        Write(Path.Combine("journeys", "notes.txt"), "{");
        Write(Path.Combine("journeys", "old.journey.json.bak"), "{");
        Write(Path.Combine("journeys", "draft.journey.jsonc"), "{");

        var result = DefinitionLoader.LoadDirectory(_root);
        AssertValid(result);
        Assert.Equal(["abandoned-cart", "welcome"], result.Journeys.Select(j => j.Id).Order(StringComparer.Ordinal));
        Assert.Equal(["customers", "do-not-contact"], result.Segments.Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ProblemsNameTheNestedFile()
    {
        Write(Path.Combine("segments", "customers.segment.json"), CustomersSegment);
        var bad = Write(Path.Combine("a", "b", "c", "bad.journey.json"), Journey("""{"a":{"type":"delay","for":"soon"}}""", id: "bad"));
        Write(Path.Combine("a", "good.journey.json"), Journey("""{"a":{"type":"exit"}}""", id: "good"));

        var result = DefinitionLoader.LoadDirectory(_root);
        Assert.False(result.IsValid);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("$.steps.a.for", problem.Path);
        Assert.Equal(Path.GetFullPath(bad), Path.GetFullPath(Path.IsPathRooted(problem.File) ? problem.File : Path.Combine(_root, problem.File)));
        Assert.Equal("good", Assert.Single(result.Journeys).Id);
    }

    [Fact]
    public void SegmentsInOtherFoldersResolve()
    {
        Write(Path.Combine("x", "y", "uses-vip.journey.json"), Journey("""{"a":{"type":"exit"}}""", id: "uses-vip", entry: """{"segment":"vip"}"""));
        Write(Path.Combine("z", "vip.segment.json"), VipSegment);
        AssertValid(DefinitionLoader.LoadDirectory(_root));
    }

    [Fact]
    public void DuplicateIdsAcrossFolders()
    {
        var journey = Journey("""{"a":{"type":"exit"}}""", id: "same");
        Write(Path.Combine("one", "same.journey.json"), journey);
        Write(Path.Combine("two", "same.journey.json"), journey);
        var result = DefinitionLoader.LoadDirectory(_root);
        Assert.Equal("$.id", Assert.Single(result.Problems).Path);
        Assert.Single(result.Journeys);
    }

    [Fact]
    public void EmptyFolderIsValidAndEmpty()
    {
        var result = DefinitionLoader.LoadDirectory(_root);
        AssertValid(result);
        Assert.Empty(result.Journeys);
        Assert.Empty(result.Segments);
    }

    [Fact]
    public void MissingFolderIsAProblem()
    {
        var result = DefinitionLoader.LoadDirectory(Path.Combine(_root, "does-not-exist"));
        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Problems);
    }

    [Fact]
    public void SamplesAreAllValid()
    {
        var samples = Path.Combine(RepositoryRoot(), "samples");
        Assert.True(Directory.Exists(samples), $"no samples folder at {samples}");
        var result = DefinitionLoader.LoadDirectory(samples);
        AssertValid(result);

        var journeyFiles = Directory.GetFiles(samples, "*.journey.json", SearchOption.AllDirectories);
        var segmentFiles = Directory.GetFiles(samples, "*.segment.json", SearchOption.AllDirectories);
        Assert.NotEmpty(journeyFiles);
        Assert.NotEmpty(segmentFiles);
        Assert.Equal(journeyFiles.Length, result.Journeys.Count);
        Assert.Equal(segmentFiles.Length, result.Segments.Count);
    }
}
