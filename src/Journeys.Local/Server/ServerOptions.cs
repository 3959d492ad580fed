namespace Journeys.Local.Server;

/// <summary>
/// <c>journeys serve</c> settings: the <c>Journeys</c> section of appsettings.json or environment
/// variables (<c>Journeys__ApiKey</c>), overridden by the command line.
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "Journeys";

    /// <summary>The SQLite file; the outbox file sits beside it.</summary>
    public string Data { get; set; } = Path.Combine("data", "journeys.db");

    /// <summary>A folder of definitions; none: the repository's samples.</summary>
    public string? Definitions { get; set; }

    /// <summary>When set, every <c>/v1</c> request must carry it in the <c>X-Api-Key</c> header.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Send policies (quiet hours, frequency cap, global control, rate limits): a JSON file, as for <c>simulate --settings</c>, or the JSON itself (<see cref="Journeys.Hosting.Settings.SendPolicySettings"/>).</summary>
    public string? Settings { get; set; }

    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    public int MaxBatchEvents { get; set; } = 10_000;

    /// <summary>Events grouped into one transaction (requests arriving together commit together).</summary>
    public int MaxEventsPerTransaction { get; set; } = 5_000;

    /// <summary>Due timers fired per transaction, so a backlog never makes one huge transaction.</summary>
    public int MaxTimersPerTransaction { get; set; } = 5_000;

    /// <summary>Channel (<c>email</c>, <c>sms</c>, <c>push</c>, <c>webhook</c>) to provider (<c>outbox</c>, <c>console</c>, <c>webhook</c>); unlisted channels use <c>outbox</c>.</summary>
    public Dictionary<string, string> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public WebhookOptions Webhook { get; set; } = new();

    /// <summary>Built-in tracking of sends with <c>"track": true</c> (<c>Journeys:Tracking:Secret</c>, <c>:BaseUrl</c>).</summary>
    public TrackingOptions Tracking { get; set; } = new();

    /// <summary>Days to keep trace records, delivered messages, finished enrollments and history; 0 keeps everything.</summary>
    public int RetentionDays { get; set; } = 400;

    public string DataFolder => Path.GetDirectoryName(Path.GetFullPath(Data)) ?? ".";

    public string OutboxFile => Path.Combine(DataFolder, "outbox.jsonl");
}

public sealed class WebhookOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts before a message is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first retry's delay; each next one doubles (capped at <see cref="MaxBackoff"/>).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class TrackingOptions
{
    /// <summary>The HMAC key of tracking tokens; none: one generated into the data folder on first start (<c>tracking.key</c>, mode 600) and reused.</summary>
    public string? Secret { get; set; }

    /// <summary>Where mail clients reach this server (<c>https://journeys.example.com</c>); none: the first address it listens on.</summary>
    public string? BaseUrl { get; set; }
}
