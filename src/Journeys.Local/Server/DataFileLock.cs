namespace Journeys.Local.Server;

/// <summary>
/// <c>&lt;db&gt;.lock</c>, held exclusively for the server's life: a second server on the same data file would
/// share SQLite's file lock turn by turn and both dispatch the outbox, so it refuses to start instead.
/// </summary>
public sealed class DataFileLock : IDisposable
{
    private readonly FileStream _stream;

    private DataFileLock(FileStream stream) => _stream = stream;

    /// <exception cref="IOException">Another server holds it (the message says which file and what to do).</exception>
    public static DataFileLock Acquire(string databasePath)
    {
        var path = Path.GetFullPath(databasePath) + ".lock";
        try
        {
            return new DataFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (IOException)
        {
            throw new IOException($"{Path.GetFullPath(databasePath)} is in use by another journeys server (it holds {path}); stop that one or give this one another --data file");
        }
    }

    public void Dispose() => _stream.Dispose();
}
