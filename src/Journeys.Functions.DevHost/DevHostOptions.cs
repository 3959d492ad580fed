namespace Journeys.Functions.DevHost;

/// <summary>The dev host's command line (DESIGN §5), with its defaults.</summary>
public sealed record DevHostOptions
{
    public string Urls { get; init; } = "http://127.0.0.1:7071";

    /// <summary>One storage account for Durable's task hub and the app's tables.</summary>
    public string Storage { get; init; } = "UseDevelopmentStorage=true";

    public string Definitions { get; init; } = DefaultDefinitions();

    public string Outbox { get; init; } = Path.Combine("data", "azure-outbox.jsonl");

    public string TaskHub { get; init; } = "journeys";

    /// <summary>Prepended to the app's table names, so test runs on one Azurite stay apart; none by default.</summary>
    public string? TablePrefix { get; init; }

    /// <summary>When set, every <c>/v1</c> route needs it (<c>X-Api-Key</c>; the Segment routes also take it as the write key), as serve's <c>--api-key</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Send policies, as the app setting <c>Journeys__settings</c> takes them: a JSON file (relative to the working folder) or the JSON itself.</summary>
    public string? Settings { get; init; }

    /// <summary>Durable's control-queue partitions (orchestrations are spread over them; one worker owns all here).</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>Orchestration and activity work items processed at once (both the sidecar's dispatchers and the worker).</summary>
    public int Concurrency { get; init; } = 200;

    /// <summary>A process to live no longer than (tests: the dev host exits when the test run that started it is gone).</summary>
    public int? ParentProcessId { get; init; }

    /// <returns>The options, or the problem with the command line.</returns>
    public static (DevHostOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        var options = new DevHostOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return (null, Usage);
            }
            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value\n{Usage}");
            }
            var value = args[++i];
            switch (name)
            {
                case "--urls": options = options with { Urls = value }; break;
                case "--storage": options = options with { Storage = value }; break;
                case "--definitions": options = options with { Definitions = value }; break;
                case "--outbox": options = options with { Outbox = value }; break;
                case "--task-hub": options = options with { TaskHub = value }; break;
                case "--table-prefix": options = options with { TablePrefix = value }; break;
                case "--api-key": options = options with { ApiKey = value }; break;
                case "--settings": options = options with { Settings = value }; break;
                case "--partitions" when int.TryParse(value, out var p) && p is >= 1 and <= 16: options = options with { Partitions = p }; break;
                case "--parent-pid" when int.TryParse(value, out var pid): options = options with { ParentProcessId = pid }; break;
                case "--concurrency" when int.TryParse(value, out var c) && c >= 1: options = options with { Concurrency = c }; break;
                default: return (null, $"unknown option or bad value: {name} {value}\n{Usage}");
            }
        }
        return (options, null);
    }

    public const string Usage =
        "usage: Journeys.Functions.DevHost [--urls URL] [--storage CONN] [--definitions DIR] [--outbox FILE] [--task-hub NAME]\n" +
        "                                  [--api-key KEY] [--settings FILE|JSON] [--table-prefix PREFIX] [--partitions 1-16] [--concurrency N] [--parent-pid PID]";

    /// <summary>The repository's samples/ folder, found upwards from the working directory; else ./samples.</summary>
    private static string DefaultDefinitions()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var samples = Path.Combine(dir.FullName, "samples");
            if (Directory.Exists(Path.Combine(samples, "journeys")))
            {
                return samples;
            }
        }
        return "samples";
    }
}
