namespace Journeys.Local.Tests.Cli;

public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("journeys-simulate-").FullName;

    public SimulateCommandTests()
    {
        File.WriteAllText(Path.Combine(_dir, "nudge.journey.json"), """
            {"id":"nudge","entry":{"event":"Signup"},"start":"wait",
             "steps":{"wait":{"type":"delay","for":"PT2H","next":"hello"},
                      "hello":{"type":"send","channel":"email","content":{"subject":"Hi {{profile.firstName}}","body":"..."}}}}
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Events(params string[] lines)
    {
        var path = Path.Combine(_dir, "events.jsonl");
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    [Fact]
    public void Bad_event_lines_are_reported_with_file_and_line_and_the_rest_go_on()
    {
        var events = Events(
            """{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@example.com","firstName":"Ann"},"timestamp":"2026-12-01T09:00:00Z"}""",
            """{"type":"track","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""",
            "not json at all",
            "",
            """{"type":"track","messageId":"m4","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00"}""",
            """{"type":"track","messageId":"m5","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events);

        Assert.Equal(0, run.Exit);
        Assert.Contains($"{events}:2: missing required field 'messageId'", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{events}:3: invalid JSON", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{events}:5: 'timestamp' must be ISO 8601 with an offset", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(
            [
                """{"at":"2026-12-01T10:00:00Z","user":"u1","journey":"nudge","kind":"entered"}""",
                """{"at":"2026-12-01T12:00:00Z","user":"u1","journey":"nudge","kind":"sent","step":"hello","channel":"email"}""",
                """{"at":"2026-12-01T12:00:00Z","user":"u1","journey":"nudge","kind":"completed"}""",
            ],
            run.StdoutLines);
    }

    [Fact]
    public void Until_stops_the_clock_before_pending_timers()
    {
        var events = Events("""{"type":"track","messageId":"m1","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events, "--until", "2026-12-01T11:59:59Z");

        Assert.Equal(0, run.Exit);
        Assert.Single(run.StdoutLines);
        Assert.Contains("\"kind\":\"entered\"", run.StdoutLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_table_goes_to_stderr_with_a_row_per_journey()
    {
        var events = Events("""{"type":"track","messageId":"m1","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events);

        var row = run.Stderr.Split('\n').Single(l => l.StartsWith("nudge", StringComparison.Ordinal));
        // entered 1, rejected 0, sent 0 (no email address: suppressed 1), converted 0, exited 0, completed 1
        Assert.Equal(["nudge", "1", "0", "0", "1", "0", "0", "1"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Invalid_definitions_stop_the_simulation_with_exit_1()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.journey.json"), """{"id":"bad","entry":{"event":"X"},"start":"nope","steps":{}}""");
        var events = Events("""{"type":"track","messageId":"m1","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events);

        Assert.Equal(1, run.Exit);
        Assert.Empty(run.Stdout);
        Assert.Contains("bad.journey.json: $.start: unknown step 'nope'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_turn_on_quiet_hours_which_defer_a_send_to_their_end()
    {
        var settings = Path.Combine(_dir, "settings.json");
        File.WriteAllText(settings, """{"quietHours":{"start":"21:00","end":"08:00"}}""");
        var events = Events(
            """{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"a@example.com","timezone":"America/New_York"},"timestamp":"2026-12-01T09:00:00Z"}""",
            // 23:00 New York; the delay ends 01:00 local, inside quiet hours that end 08:00 local = 13:00Z
            """{"type":"track","messageId":"m2","userId":"u1","event":"Signup","timestamp":"2026-12-02T04:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events, "--settings", settings);

        Assert.Equal(0, run.Exit);
        Assert.Contains("""{"at":"2026-12-02T13:00:00Z","user":"u1","journey":"nudge","kind":"sent","step":"hello","channel":"email"}""", run.StdoutLines);
    }

    [Fact]
    public void Bad_settings_are_reported_with_their_path()
    {
        var settings = Path.Combine(_dir, "settings.json");
        File.WriteAllText(settings, """{"frequencyCap":{"count":0,"within":"P1D"},"quietHour":{}}""");

        var run = CliRun.Of("simulate", _dir, Events(), "--settings", settings);

        Assert.Equal(1, run.Exit);
        Assert.Contains($"{settings}: $.frequencyCap.count: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{settings}: $.quietHour: unknown field", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_outbox_holds_one_rendered_line_per_sent_record()
    {
        var outbox = Path.Combine(_dir, "outbox.jsonl");
        var events = Events(
            """{"type":"identify","messageId":"m1","userId":"u1","traits":{"email":"ann+news@example.com","firstName":"Ann"},"timestamp":"2026-12-01T09:00:00Z"}""",
            """{"type":"track","messageId":"m2","userId":"u1","event":"Signup","timestamp":"2026-12-01T10:00:00Z"}""");

        var run = CliRun.Of("simulate", _dir, events, "--outbox", outbox);

        Assert.Equal(0, run.Exit);
        var line = Assert.Single(File.ReadAllLines(outbox));
        Assert.Equal(
            """{"at":"2026-12-01T12:00:00Z","user":"u1","journey":"nudge","enrollment":"nudge:u1:1","step":"hello","channel":"email","to":"ann+news@example.com","idempotencyKey":"nudge:u1:1:hello:2","content":{"subject":"Hi Ann","body":"..."}}""",
            line);
        Assert.Single(run.StdoutLines, l => l.Contains("\"kind\":\"sent\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_until_or_a_missing_events_file_is_reported()
    {
        Assert.Equal(2, CliRun.Of("simulate", _dir, Events(), "--until", "tomorrow").Exit);
        var missing = CliRun.Of("simulate", _dir, Path.Combine(_dir, "absent.jsonl"));
        Assert.Equal(1, missing.Exit);
        Assert.Contains("absent.jsonl: cannot read", missing.Stderr, StringComparison.Ordinal);
    }
}
