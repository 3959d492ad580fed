using Journeys.Local.Cli;

namespace Journeys.Local.Tests.Cli;

/// <summary>Runs the <c>journeys</c> command in-process and captures what it prints.</summary>
internal sealed record CliRun(int Exit, string Stdout, string Stderr)
{
    public static CliRun Of(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = JourneysCli.Run(args, stdout, stderr);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
