using System.CommandLine;
using Journeys.Core.Audience;

namespace Journeys.Local.Cli;

/// <summary>The <c>journeys</c> command line (DESIGN §6): validate, simulate, graph and serve.</summary>
public static class JourneysCli
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Usage = 2;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Journeys: customer-journey orchestration. Validate definitions and replay event logs through them.");

        var validateDir = new Argument<DirectoryInfo>("DIR") { Description = "Folder of *.journey.json and *.segment.json files (searched recursively)" };
        var validate = new Command("validate", "Check every definition; print one line per problem (file: json-path: message).") { validateDir };
        validate.SetAction(parse => ValidateCommand.Run(parse.GetValue(validateDir)!.ToString(), stdout, stderr));

        var simulateDir = new Argument<DirectoryInfo>("DIR") { Description = "Folder of definitions" };
        var events = new Argument<FileInfo>("EVENTS") { Description = "Event log, one Segment-spec event per line (JSONL)" };
        var until = new Option<string?>("--until") { Description = "Stop the virtual clock at this ISO 8601 instant (default: drain timers after the last event)" };
        var settings = new Option<FileInfo?>("--settings") { Description = "JSON file of send policies: quietHours, frequencyCap, globalControl, rateLimits (schemas/settings.schema.json; default: none)" };
        var outbox = new Option<FileInfo?>("--outbox") { Description = "Also write every message the journeys would send, rendered, as JSON lines to this file" };
        var report = new Option<FileInfo?>("--report") { Description = "Also write an HTML report: every journey's graph with the backtest's counts and its experiments' readout, one self-contained file" };
        var partitions = new Option<int>("--partitions") { Description = "Replay the users in this many separate runs (hash of the user id), for logs larger than memory; the trace is the same", DefaultValueFactory = _ => 1 };
        var parallel = new Option<int>("--parallel") { Description = "With --partitions: how many runs at a time (default: the number of cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var stats = new Option<bool>("--stats") { Description = "Print events/s, peak memory and GC counts to stderr" };
        var simulate = new Command("simulate", "Replay events through the definitions on a virtual clock; trace to stdout, summary to stderr.")
        {
            simulateDir, events, until, settings, outbox, report, partitions, parallel, stats,
        };
        simulate.SetAction(parse =>
        {
            DateTimeOffset? untilValue = null;
            if (parse.GetValue(until) is { } text)
            {
                if (!EventParser.TryParseTimestamp(text, out var parsed))
                {
                    stderr.WriteLine($"--until: '{text}' is not an ISO 8601 date-time with an offset (e.g. 2026-12-31T00:00:00Z)");
                    return Usage;
                }
                untilValue = parsed;
            }
            if (parse.GetValue(partitions) is < 1 or > 256 || parse.GetValue(parallel) < 1)
            {
                stderr.WriteLine("--partitions must be 1 to 256 and --parallel at least 1");
                return Usage;
            }
            var mode = new SimulateMode(parse.GetValue(partitions), parse.GetValue(parallel), parse.GetValue(stats));
            return SimulateCommand.Run(parse.GetValue(simulateDir)!.ToString(), parse.GetValue(events)!.ToString(), untilValue,
                parse.GetValue(settings)?.ToString(), parse.GetValue(outbox)?.ToString(), mode, stdout, stderr, parse.GetValue(report)?.ToString());
        });

        var graphDir = new Argument<DirectoryInfo>("DIR") { Description = "Folder of definitions" };
        var graphJourney = new Argument<string>("JOURNEY") { Description = "The id of the journey to draw" };
        var format = new Option<string>("--format") { Description = "mermaid (default) or dot", DefaultValueFactory = _ => "mermaid" };
        var graph = new Command("graph", "Write a journey's graph as Mermaid or Graphviz DOT text, for docs and reviews.") { graphDir, graphJourney, format };
        graph.SetAction(parse => GraphCommand.Run(parse.GetValue(graphDir)!.ToString(), parse.GetValue(graphJourney)!, parse.GetValue(format)!, stdout, stderr));

        var urls = new Option<string?>("--urls") { Description = $"Where to listen (default {ServeCommand.DefaultUrls}; loopback only unless you say otherwise)" };
        var data = new Option<string?>("--data") { Description = "The SQLite file (default ./data/journeys.db); the outbox file goes beside it" };
        var definitionsDir = new Option<string?>("--definitions") { Description = "Folder of definitions to serve (default: the samples)" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require this key in the X-Api-Key header of every /v1 request" };
        var serveSettings = new Option<string?>("--settings") { Description = "JSON file of send policies, as for simulate" };
        var serve = new Command("serve", "Run the local server: HTTP API, dashboard, durable timers and outbox on one SQLite file.")
        {
            urls, data, definitionsDir, apiKey, serveSettings,
        };
        serve.SetAction(parse => ServeCommand.Run(parse.GetValue(urls), parse.GetValue(data), parse.GetValue(definitionsDir), parse.GetValue(apiKey),
            parse.GetValue(serveSettings), stdout, stderr));

        root.Add(validate);
        root.Add(simulate);
        root.Add(graph);
        root.Add(serve);
        var result = root.Parse(args);
        var exit = result.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return result.Errors.Count > 0 ? Usage : exit;
    }
}
