using Journeys.Functions.DevHost;

// the dev host (docs/azure.md): the Functions app on the Durable Task worker and Durable's Azure Storage backend
var (options, error) = DevHostOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(error);
    return args.Any(a => a is "-h" or "--help") ? 0 : 2;
}
return await DevHost.RunAsync(options, CancellationToken.None);
