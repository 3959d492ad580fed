namespace Journeys.Local.Server;

/// <summary>
/// The <c>--data</c> path checked before anything is written, and what a start creates there (folders, the database
/// and its WAL files, the lock, the outbox, the generated tracking key) so that a start that fails can take it away again: a server that did not
/// start leaves no file behind, and a database that was there before is never touched.
/// </summary>
public sealed class DataFiles
{
    private readonly string _database;
    private readonly List<string> _newFiles;
    private readonly List<string> _newFolders;

    private DataFiles(string database, string outbox, string trackingKey, List<string> newFolders)
    {
        _database = database;
        _newFolders = newFolders;
        // an existing database keeps its WAL files; the lock, the outbox and the tracking key are judged on their own
        string[] mine = File.Exists(database)
            ? [database + ".lock", outbox, trackingKey]
            : [database, database + "-wal", database + "-shm", database + ".lock", outbox, trackingKey];
        _newFiles = mine.Where(f => !File.Exists(f)).ToList();
    }

    /// <summary>Checks the path and creates its folder.</summary>
    /// <exception cref="IOException">The path cannot hold the database (the message names it and says what to do).</exception>
    public static DataFiles Prepare(ServerOptions options)
    {
        var database = Path.GetFullPath(options.Data);
        if (Directory.Exists(database))
        {
            throw new IOException($"--data {database} is a folder: name the database file in it, e.g. --data {Path.Combine(database, "journeys.db")}");
        }
        var folder = Path.GetDirectoryName(database) ?? throw new IOException($"--data {database}: a file name is needed, e.g. --data data/journeys.db");
        var missing = new List<string>();
        for (var dir = folder; dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(dir))
            {
                throw new IOException($"--data {database}: {dir} is a file, not a folder; choose another path");
            }
            missing.Add(dir);
        }
        var files = new DataFiles(database, options.OutboxFile, Path.Combine(options.DataFolder, Hosting.Tracking.TrackingSecretFile.FileName), missing);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            files.RemoveCreated();
            throw new IOException($"--data {database}: cannot create the folder {folder} ({e.Message}); choose a path you can write to");
        }
        return files;
    }

    /// <summary>The message for a database SQLite could not open or create.</summary>
    public IOException CannotOpen(Microsoft.Data.Sqlite.SqliteException e) =>
        new($"--data {_database}: cannot open it as a SQLite database ({e.Message.TrimEnd('.')}); choose a file you can write to, or a new one");

    /// <summary>Deletes what this start created (best effort: called after a failed start, with everything closed).</summary>
    public void RemoveCreated()
    {
        foreach (var file in _newFiles)
        {
            TryDelete(() => File.Delete(file));
        }
        foreach (var folder in _newFolders) // deepest first
        {
            TryDelete(() => Directory.Delete(folder));
        }
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not ours to force: a folder someone filled meanwhile stays
        }
    }
}
