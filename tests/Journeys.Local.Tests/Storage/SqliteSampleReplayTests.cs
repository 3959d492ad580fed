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

    [Fact]
    public void A_runtime_restarted_on_the_same_file_does_not_schedule_a_run_twice()
    {
        var loaded = DefinitionLoader.Load([("weekly.journey.json", """
            {"id":"weekly","entry":{"schedule":{"at":"2026-12-07T09:00:00Z","every":"P7D"}},"reentry":{"mode":"multiple"},
             "start":"s","steps":{"s":{"type":"exit"}}}
            """)]);
        var set = DefinitionSet.From(loaded);
        var path = Path.Combine(_dir, "restart.db");
        var trace = new List<TraceRecord>();
        var output = new CollectingOutput(trace);
        using (var first = SqliteStores.Open(path))
        {
            var runtime = new JourneyRuntime(set, first.Stores, output);
            runtime.Ingest(Journeys.Core.Audience.EventParser.Parse(
                """{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@example.com"},"timestamp":"2026-12-01T09:00:00Z"}""").Event!,
                new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        }
        using (var second = SqliteStores.Open(path))
        {
            var runtime = new JourneyRuntime(set, second.Stores, output);
            runtime.AdvanceTo(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.Zero));
        }

        // one run on Dec 7 and one on Dec 14, each entering and exiting once
        Assert.Equal(4, trace.Count);
        Assert.Equal(2, trace.Count(r => r.Kind == TraceKind.Entered));
    }

    private sealed class CollectingOutput(List<TraceRecord> trace) : IRuntimeOutput
    {
        public void Trace(TraceRecord record) => trace.Add(record);

        public void Send(SendMessage message) { }
    }
}
