using System.Text.Json;
using Journeys.Local.Server;
using Journeys.Local.Storage;

namespace Journeys.Local.Tests.Server;

/// <summary>
/// Issue 10, item 8: after one 1,000-step journey was published, every PUT took over a second, because each publish
/// re-read and re-validated every stored version. Publishing a journey now reads and validates that journey alone.
/// </summary>
public sealed class PublishCostTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-publish-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>On <c>Go</c>: <paramref name="steps"/> e-mails one after the other.</summary>
    private static string Chain(string id, int steps) => JsonSerializer.Serialize(new
    {
        id,
        entry = new { @event = "Go" },
        start = "s0",
        steps = Enumerable.Range(0, steps).ToDictionary(
            i => $"s{i}",
            i => i < steps - 1
                ? (object)new { type = "send", channel = "email", content = new { subject = $"#{i}", body = "b" }, next = $"s{i + 1}" }
                : new { type = "send", channel = "email", content = new { subject = $"#{i}", body = "b" } }),
    });

    private static string JumpsTo(string id, string target) =>
        JsonSerializer.Serialize(new { id, entry = new { @event = "Go" }, start = "wait", steps = new { wait = new { type = "delay", @for = "PT1H", next = "go" }, go = new { type = "jump", journey = target } } });

    [Fact]
    public void Publishing_beside_a_1000_step_journey_reads_and_validates_only_the_journey_published()
    {
        using var database = SqliteDatabase.Open(Path.Combine(_folder, "journeys.db"));
        var catalog = new SqliteJourneyCatalog(database);
        var served = new ServedDefinitions([]);
        var reads = new List<string>();
        string Read(string id, int version)
        {
            reads.Add($"{id}@{version}");
            return catalog.Definition(id, version);
        }
        var at = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Journeys.Core.Engine.DefinitionSet Publish(string id, string json)
        {
            Assert.Empty(served.Check(id, json));
            Assert.True(catalog.Publish(id, json, at).Created);
            var (set, problems) = served.Build(catalog.All(), catalog.VersionKeys(), Read);
            Assert.Empty(problems);
            return set;
        }

        var big = Publish("big", Chain("big", 1000)).Journey("big");
        Publish("small", JumpsTo("small", "big")); // the jump is judged against big as loaded: it is known
        var smallFirst = Publish("small", JumpsTo("small", "big").Replace("PT1H", "PT2H", StringComparison.Ordinal)).Journey("small", 1);
        var last = Publish("echo", Instant("echo", "small"));

        Assert.Equal(["big@1", "small@1", "small@2", "echo@1"], reads); // each version read once
        Assert.Same(big, last.Journey("big")); // and compiled once: templates make compiling a large journey slow
        Assert.Same(smallFirst, last.Journey("small", 1));
        Assert.Equal(2, last.Journey("small")!.Version);
        // the cross-journey rules still see the others: an unknown target, and a cycle of instant jumps through echo
        Assert.Contains("unknown journey 'nowhere'", Assert.Single(served.Check("lost", JumpsTo("lost", "nowhere"))).Message, StringComparison.Ordinal);
        Assert.Contains("jump cycle with no wait: small -> echo -> small", Assert.Single(served.Check("small", Instant("small", "echo"))).Message, StringComparison.Ordinal);
    }

    private static string Instant(string id, string target) =>
        JsonSerializer.Serialize(new { id, entry = new { @event = "Go" }, start = "go", steps = new { go = new { type = "jump", journey = target } } });
}
