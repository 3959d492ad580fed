using System.Net;
using System.Net.Sockets;

namespace Journeys.Local.Tests.Server;

/// <summary>
/// <c>journeys serve</c> refusing to start (issue 10, item 5): one line on stderr naming the path or the address and
/// what to do, no stack trace anywhere, exit 1, and nothing left behind.
/// </summary>
[Collection(ServerProcess.Collection)]
public sealed class ServeStartupErrorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-start-").FullName;

    private string Definitions
    {
        get
        {
            var definitions = Path.Combine(_folder, "definitions");
            Directory.CreateDirectory(definitions);
            return definitions;
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private string Serve(string data, string urls = "http://127.0.0.1:0")
    {
        var (exit, stdout, stderr) = ServerProcess.RunToExit("--urls", urls, "--data", data, "--definitions", Definitions);
        Assert.Equal(1, exit);
        Assert.DoesNotContain("   at ", stdout + stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);
        return Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Every file and folder under the test's folder but the definitions.</summary>
    private List<string> Left() =>
        Directory.EnumerateFileSystemEntries(_folder, "*", SearchOption.AllDirectories).Where(p => !p.StartsWith(Definitions, StringComparison.Ordinal)).Order().ToList();

    [Fact]
    public void A_folder_as_data_is_named_with_the_file_to_give_instead()
    {
        var folder = Path.Combine(_folder, "data");
        Directory.CreateDirectory(folder);

        var line = Serve(folder);

        Assert.Contains($"--data {folder} is a folder", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder, "journeys.db"), line, StringComparison.Ordinal);
        Assert.Equal([folder], Left());
    }

    [Fact]
    public void A_data_path_under_a_file_says_which_is_a_file()
    {
        var file = Path.Combine(_folder, "notes.txt");
        File.WriteAllText(file, "x");

        var line = Serve(Path.Combine(file, "journeys.db"));

        Assert.Contains($"{file} is a file, not a folder", line, StringComparison.Ordinal);
        Assert.Equal([file], Left());
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_named_and_left_as_it_was()
    {
        var file = Path.Combine(_folder, "journeys.db");
        File.WriteAllText(file, "not a database, and long enough that SQLite reads a header from it: " + new string('x', 200));
        var before = File.ReadAllText(file);

        var line = Serve(file);

        Assert.Contains($"--data {file}: cannot open it as a SQLite database", line, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(file));
        Assert.Equal([file], Left());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void An_unwritable_place_is_named_and_nothing_is_created()
    {
        // root writes through permissions: /proc takes no new folder from anyone
        var root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        var place = Path.Combine(_folder, "locked");
        string data;
        if (root)
        {
            data = $"/proc/journeys-{Guid.NewGuid():N}/journeys.db";
        }
        else
        {
            Directory.CreateDirectory(place);
            File.SetUnixFileMode(place, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            data = Path.Combine(place, "journeys.db");
        }
        try
        {
            var line = Serve(data);

            Assert.StartsWith($"journeys serve: --data {data}: cannot ", line, StringComparison.Ordinal);
            Assert.Contains("you can write to", line, StringComparison.Ordinal);
            Assert.False(File.Exists(data));
            Assert.False(File.Exists(data + ".lock"));
        }
        finally
        {
            if (!root) File.SetUnixFileMode(place, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_port_in_use_is_named_and_the_new_data_folder_is_taken_away_again()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var line = Serve(Path.Combine(_folder, "new", "deeper", "journeys.db"), url);

        Assert.Contains(url, line, StringComparison.Ordinal);
        Assert.Contains("address already in use", line, StringComparison.Ordinal);
        Assert.Contains("--urls", line, StringComparison.Ordinal);
        Assert.Empty(Left()); // the database, its lock, the outbox and both folders it made
    }
}
