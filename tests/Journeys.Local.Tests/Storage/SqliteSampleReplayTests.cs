using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Local.Storage;

namespace Journeys.Local.Tests.Storage;

/// <summary>
/// The same runtime on SQLite stores replays every sample to the same trace as the simulator's
/// in-memory stores: the stores are interchangeable, as the local server needs them to be.
/// </summary>
public sealed class SqliteSampleReplayTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-sqlite-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Cases() => new(
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Samples, "events"), "*.jsonl")
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetFileNameWithoutExtension(f)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sample_replays_on_sqlite_to_its_expected_trace(string name)
    {
        var loaded = DefinitionLoader.LoadDirectory(RepositoryPaths.Samples);
        Assert.True(loaded.IsValid);
        var trace = new StringWriter { NewLine = "\n" };
        using (var sqlite = SqliteStores.Open(Path.Combine(_dir, name + ".db")))
        using (var events = File.OpenRead(Path.Combine(RepositoryPaths.Samples, "events", name + ".jsonl")))
        using (var lines = new TraceLineWriter(trace))
        {
            new Simulator(DefinitionSet.From(loaded)).Run(events, name, lines.Write, TextWriter.Null, stores: sqlite.Stores);
        }

        var expected = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "expected", name + ".trace.jsonl")).ReplaceLineEndings("\n");
        Assert.Equal(expected, trace.ToString());
    }
}
