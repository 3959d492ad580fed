using System.Globalization;
using System.Text;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Local.Cli;

namespace Journeys.Local.Tests.Cli;

/// <summary>
/// <c>simulate --partitions</c> prints the single run's trace and outbox byte for byte (DESIGN §6 order), on the
/// samples and on a generated month of a few thousand users whose events share instants, so that records of
/// different users at one instant, timers due together and scheduled runs all have to interleave exactly.
/// </summary>
public sealed class PartitionedReplayTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-partition-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<int, int> Splits() => new() { { 2, 1 }, { 3, 2 }, { 8, 2 }, { 13, 2 } };

    [Theory]
    [MemberData(nameof(Splits))]
    public void A_generated_month_replays_to_the_same_bytes_in_partitions(int partitions, int parallel)
    {
        var log = Path.Combine(_folder, "events.jsonl");
        File.WriteAllText(log, GeneratedLog(users: 3_000, seed: 7));

        var single = Simulate(log, "single");
        var split = Simulate(log, $"p{partitions}", "--partitions", partitions.ToString(CultureInfo.InvariantCulture), "--parallel", parallel.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(0, single.Run.Exit);
        Assert.Equal(0, split.Run.Exit);
        Assert.True(single.Run.StdoutLines.Length > 5_000, $"only {single.Run.StdoutLines.Length} records: the log exercises too little");
        Assert.Contains("\"kind\":\"deferred\"", single.Run.Stdout, StringComparison.Ordinal);
        Assert.Equal(single.Run.Stdout, split.Run.Stdout);
        Assert.Equal(single.Outbox, split.Outbox);
        // the same error lines, counts and summary table
        Assert.Equal(single.Run.Stderr, split.Run.Stderr);
    }

    public static TheoryData<string> Samples() => new(
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Samples, "events"), "*.jsonl").Order(StringComparer.Ordinal).Select(Path.GetFileNameWithoutExtension)!);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_sample_replays_to_its_expected_trace_in_partitions(string name)
    {
        var log = Path.Combine(RepositoryPaths.Samples, "events", name + ".jsonl");
        var run = CliRun.Of("simulate", RepositoryPaths.Samples, log, "--partitions", "3", "--parallel", "2");

        if (File.ReadAllText(log).Contains("\"anonymousId\"", StringComparison.Ordinal))
        {
            // merging an anonymous profile into a user's ties two users together: refused, not replayed wrongly
            Assert.Equal(1, run.Exit);
            Assert.Contains("cannot be replayed apart", run.Stderr, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(0, run.Exit);
        var expected = File.ReadAllText(Path.Combine(RepositoryPaths.Samples, "expected", name + ".trace.jsonl")).ReplaceLineEndings("\n");
        Assert.Equal(expected, run.Stdout);
    }

    [Fact]
    public void An_anonymous_merge_is_refused_with_the_line_that_asks_for_it()
    {
        var log = Path.Combine(_folder, "anonymous.jsonl");
        File.WriteAllText(log, """
            {"type":"track","messageId":"m-1","anonymousId":"anon-1","event":"ProductViewed","timestamp":"2026-12-01T10:00:00Z"}
            {"type":"identify","messageId":"m-2","userId":"u-1","anonymousId":"anon-1","traits":{"email":"a@example.com"},"timestamp":"2026-12-01T10:01:00Z"}
            """);

        var run = CliRun.Of("simulate", RepositoryPaths.Samples, log, "--partitions", "2");

        Assert.Equal(1, run.Exit);
        Assert.Contains("anonymous.jsonl:2:", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    [Fact]
    public void A_partition_that_fails_while_the_log_is_read_stops_the_read_with_its_own_error()
    {
        // ~70,000 events, ~17,000 a partition: more than a queue between the read and a live replay holds (16 batches
        // of 512), so the read can only have stopped early because the failed replay stopped it
        var log = new MemoryStream(Encoding.UTF8.GetBytes(GeneratedLog(users: 20_000, seed: 3)));
        var simulator = new Simulator(DefinitionSet.From(DefinitionLoader.LoadDirectory(RepositoryPaths.Samples)));
        var inputs = Enumerable.Range(0, 4).Select(p => Path.Combine(_folder, $"in-{p}.bin")).ToArray();
        var taken = new int[4];

        var run = Task.Run(() => PartitionedReplay.ReadAndReplayLive(
            simulator, log, "log.jsonl", TextWriter.Null, partitions: 4, live: 2, inputs,
            (p, events) =>
            {
                foreach (var _ in events)
                {
                    if (++taken[p] == 100 && p == 1) throw new InvalidOperationException("partition 1 cannot go on");
                }
            },
            out _));

        Assert.True(((IAsyncResult)run).AsyncWaitHandle.WaitOne(TimeSpan.FromMinutes(1)), "the read is still waiting on a replay that failed");
        var failure = Assert.IsType<InvalidOperationException>(Assert.Single(run.Exception!.InnerExceptions));
        Assert.Equal("partition 1 cannot go on", failure.Message);
        Assert.Equal(100, taken[1]);
        Assert.True(log.Position < log.Length, "the read went on to the end after the replay had failed");
    }

    [Fact]
    public void State_shared_between_users_is_refused_by_name_before_any_replay()
    {
        // entry limits count every user's entries: a partition alone would let too many in
        var defs = Path.Combine(_folder, "limited");
        Directory.CreateDirectory(defs);
        File.WriteAllText(Path.Combine(defs, "capped.journey.json"), """
            {"id":"capped","entry":{"event":"Ping"},"limits":{"entriesTotal":1},"start":"hi",
             "steps":{"hi":{"type":"send","channel":"email","content":{"subject":"Hi","body":"Hi"},"next":null}}}
            """);
        var log = Path.Combine(_folder, "pings.jsonl");
        File.WriteAllText(log, """
            {"type":"track","messageId":"p-1","userId":"u-1","event":"Ping","timestamp":"2026-12-01T10:00:00Z"}
            {"type":"track","messageId":"p-2","userId":"u-2","event":"Ping","timestamp":"2026-12-01T10:01:00Z"}
            """);

        var whole = CliRun.Of("simulate", defs, log);
        var run = CliRun.Of("simulate", defs, log, "--partitions", "2");

        Assert.Equal(0, whole.Exit);
        Assert.Contains("\"limit\"", whole.Stdout, StringComparison.Ordinal); // the second user is rejected by the limit
        Assert.Equal(1, run.Exit);
        Assert.Contains("journey 'capped' has limits", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(run.Stdout);
    }

    private sealed record Result(CliRun Run, string Outbox);

    private Result Simulate(string log, string name, params string[] options)
    {
        var outbox = Path.Combine(_folder, name + ".outbox.jsonl");
        var run = CliRun.Of(["simulate", RepositoryPaths.Samples, log, "--outbox", outbox, .. options]);
        return new Result(run, File.ReadAllText(outbox));
    }

    private static readonly string[] Names =
        ["ProductViewed", "Purchase", "CartAbandoned", "ScreenView", "StoreVisit", "AddToFavorites", "SignedUp", "GiftGuideViewed", "TestDriveBooked", "AccountOpened", "AddToWishlist", "RewardRedeemed"];

    private static readonly string[] Zones = ["America/New_York", "Europe/London", "Asia/Tokyo"];

    /// <summary>
    /// The benchmark's kind of month (bench EventLogGenerator), on a coarse clock: every event falls on a
    /// quarter hour, so many users act at one instant. Also a repeated messageId, a bad line and an event
    /// stamped before the one ahead of it (the clock does not run back).
    /// </summary>
    private static string GeneratedLog(int users, int seed)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var events = new List<(int Slot, int User, int Kind)>();
        for (var u = 0; u < users; u++)
        {
            var first = random.Next(0, 30 * 96 / 2);
            events.Add((first, u, -1));
            for (var t = random.Next(0, 6); t > 0; t--)
            {
                events.Add((first + random.Next(0, 30 * 96 - first), u, random.Next(Names.Length)));
            }
        }
        events.Sort((a, b) => a.Slot != b.Slot ? a.Slot.CompareTo(b.Slot) : a.User.CompareTo(b.User));
        var text = new StringBuilder();
        var n = 0;
        foreach (var (slot, user, kind) in events)
        {
            var at = start.AddMinutes(15 * slot).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            text.Append(kind < 0
                ? $$$"""{"type":"identify","messageId":"m-{{{n++}}}","userId":"u-{{{user}}}","traits":{"email":"u-{{{user}}}@example.com","phone":"+1555{{{user:D7}}}","timezone":"{{{Zones[user % Zones.Length]}}}","loyaltyTier":"{{{(random.Next(3) == 0 ? "gold" : "silver")}}}","birthday":"1980-12-{{{1 + random.Next(28):D2}}}","consent":{"sms":{{{(random.Next(3) > 0 ? "true" : "false")}}}}},"timestamp":"{{{at}}}"}"""
                : $$"""{"type":"track","messageId":"m-{{n++}}","userId":"u-{{user}}","event":"{{Names[kind]}}","properties":{"price":{{random.Next(5, 300)}},"cartValue":{{random.Next(5, 300)}},"category":"coffee","sku":"SKU-{{random.Next(20)}}"},"timestamp":"{{at}}"}""");
            text.Append('\n');
            if (n == 500) text.Append("{\"type\":\"track\",\"messageId\":\"m-7\",\"userId\":\"u-1\",\"event\":\"Purchase\",\"timestamp\":\"2026-12-02T00:00:00Z\"}\n");
            if (n == 900) text.Append("{not json\n");
            if (n == 1200) text.Append($$"""{"type":"track","messageId":"late","userId":"u-2","event":"Purchase","timestamp":"{{start:yyyy-MM-dd'T'HH:mm:ss'Z'}}"}""" + "\n");
        }
        return text.ToString();
    }
}
