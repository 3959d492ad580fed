using Journeys.Local.Cli;

return JourneysCli.Run(args, Console.Out, Console.Error);
