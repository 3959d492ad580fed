namespace Journeys.Local.Tests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_samples_are_valid()
    {
        var run = CliRun.Of("validate", RepositoryPaths.Samples);

        Assert.Equal(0, run.Exit);
        Assert.Empty(run.Stdout);
        Assert.Contains("13 journeys and 9 segments are valid", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_problem_is_one_line_naming_file_and_json_path_and_the_exit_code_is_1()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "nested"));
        var file = Path.Combine(_dir, "nested", "broken.journey.json");
        File.WriteAllText(file, """
            {"id":"broken","entry":{"event":"Go"},"start":"a",
             "steps":{"a":{"type":"delay","for":"P3X","next":"b"},
                      "b":{"type":"send","channel":"sms","content":{"subject":"no text"},"next":"nowhere"}}}
            """);

        var run = CliRun.Of("validate", _dir);

        Assert.Equal(1, run.Exit);
        Assert.Contains($"{file}: $.steps.a.for: ", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{file}: $.steps.b.next: unknown step 'nowhere'", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{file}: $.steps.b.content.text: ", run.Stdout, StringComparison.Ordinal);
        Assert.All(run.StdoutLines, line => Assert.StartsWith(file + ": $", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_json_is_reported_with_its_line()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.segment.json"), "{\"id\": \"x\",\n \"when\": {\"trait\": \"a\" \"eq\": 1}}");

        var run = CliRun.Of("validate", _dir);

        Assert.Equal(1, run.Exit);
        Assert.Contains("bad.segment.json: $: invalid JSON at line 2", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_directory_is_a_problem_not_a_crash()
    {
        var run = CliRun.Of("validate", Path.Combine(_dir, "absent"));

        Assert.Equal(1, run.Exit);
        Assert.Contains("no such directory", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_argument_is_a_usage_error()
    {
        Assert.Equal(2, CliRun.Of("validate").Exit);
        Assert.Equal(2, CliRun.Of("frobnicate").Exit);
    }
}
