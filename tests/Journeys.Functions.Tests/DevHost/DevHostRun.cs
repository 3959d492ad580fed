namespace Journeys.Functions.Tests.DevHosting;

/// <summary>Where one test's dev host keeps its state: a task hub, tables and an outbox of its own, on Azurite; and its API key, if any.</summary>
internal sealed record DevHostRun(string TaskHub, string TablePrefix, string Definitions, string Outbox, string? ApiKey = null)
{
    public static DevHostRun Create(string journeyJson, string? apiKey = null) => Create([("test.journey.json", journeyJson)], apiKey);

    /// <param name="definitions">The definitions folder's files (name, JSON).</param>
    public static DevHostRun Create(IEnumerable<(string File, string Json)> definitions, string? apiKey = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var folder = Path.Combine(Path.GetTempPath(), "devhost-" + id);
        Directory.CreateDirectory(Path.Combine(folder, "definitions"));
        foreach (var (file, json) in definitions)
        {
            File.WriteAllText(Path.Combine(folder, "definitions", file), json);
        }
        // task hub names: letters and digits, starting with a letter (queue and table names derive from them)
        return new DevHostRun("dh" + id, "dh" + id, Path.Combine(folder, "definitions"), Path.Combine(folder, "outbox.jsonl"), apiKey);
    }

    /// <summary>The outbox file's lines, in file order.</summary>
    public IReadOnlyList<string> OutboxLines() => !File.Exists(Outbox) ? [] : File.ReadAllLines(Outbox).Where(l => l.Length > 0).ToList();

    /// <summary>The outbox file's idempotency keys, in file order (repeats kept: the tests look for them).</summary>
    public IReadOnlyList<string> OutboxKeys() => OutboxLines()
        .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("idempotencyKey").GetString()!)
        .ToList();
}
