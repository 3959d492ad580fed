namespace Journeys.Functions.Tests.DevHosting;

/// <summary>Where one test's dev host keeps its state: a task hub, tables and an outbox of its own, on Azurite.</summary>
internal sealed record DevHostRun(string TaskHub, string TablePrefix, string Definitions, string Outbox)
{
    public static DevHostRun Create(string journeyJson)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var folder = Path.Combine(Path.GetTempPath(), "devhost-" + id);
        Directory.CreateDirectory(Path.Combine(folder, "definitions"));
        File.WriteAllText(Path.Combine(folder, "definitions", "test.journey.json"), journeyJson);
        // task hub names: letters and digits, starting with a letter (queue and table names derive from them)
        return new DevHostRun("dh" + id, "dh" + id, Path.Combine(folder, "definitions"), Path.Combine(folder, "outbox.jsonl"));
    }

    /// <summary>The outbox file's idempotency keys, in file order (repeats kept: the tests look for them).</summary>
    public IReadOnlyList<string> OutboxKeys() => !File.Exists(Outbox)
        ? []
        : File.ReadAllLines(Outbox).Where(l => l.Length > 0)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("idempotencyKey").GetString()!)
            .ToList();
}
