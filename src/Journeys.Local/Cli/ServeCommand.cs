using Journeys.Local.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Journeys.Local.Cli;

/// <summary>
/// <c>journeys serve [--urls URLS] [--data FILE] [--definitions DIR] [--api-key KEY] [--settings FILE]</c>:
/// the local server until Ctrl+C. Settings come from <c>appsettings.json</c> in the working folder and
/// <c>Journeys__*</c> environment variables, the command line having the last word.
/// </summary>
public static class ServeCommand
{
    public const string DefaultUrls = "http://127.0.0.1:5080";

    public static int Run(string? urls, string? data, string? definitions, string? apiKey, string? settings, TextWriter stdout, TextWriter stderr)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        var options = new ServerOptions();
        configuration.GetSection(ServerOptions.Section).Bind(options);
        options.Data = data ?? options.Data;
        options.Definitions = definitions ?? options.Definitions;
        options.ApiKey = apiKey ?? options.ApiKey;
        options.Settings = settings ?? options.Settings;
        urls ??= configuration["urls"] ?? configuration["ASPNETCORE_URLS"] ?? DefaultUrls;

        JourneysServer server;
        try
        {
            server = JourneysServer.Create(options, urls, console: stdout);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            stderr.WriteLine($"journeys serve: {e.Message}");
            return JourneysCli.Invalid;
        }
        return RunAsync(server, stderr).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(JourneysServer server, TextWriter stderr)
    {
        try
        {
            await server.StartAsync().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            server.Files.RemoveCreated();
            stderr.WriteLine($"journeys serve: cannot listen: {e.Message.TrimEnd('.')}; stop what listens there or choose another address with --urls");
            return JourneysCli.Invalid;
        }
        await using (server.ConfigureAwait(false))
        {
            await server.App.WaitForShutdownAsync().ConfigureAwait(false);
        }
        return JourneysCli.Ok;
    }
}
