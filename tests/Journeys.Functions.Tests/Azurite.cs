using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests;

/// <summary>
/// Tables on the local Azurite emulator (<see cref="AzuriteServer"/> makes sure it runs),
/// each test in tables of its own, with a count of the requests sent (one request = one billed transaction).
/// </summary>
internal sealed class Azurite
{
    private readonly RequestCounter _counter = new();

    public Azurite()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_counter, HttpPipelinePosition.PerCall);
        Service = new TableServiceClient("UseDevelopmentStorage=true", options);
        Tables = new JourneyTables(Service, TimeProvider.System, "t" + Guid.NewGuid().ToString("N")[..20]);
    }

    public TableServiceClient Service { get; }

    public JourneyTables Tables { get; }

    public int Requests => _counter.Count;

    /// <summary>
    /// Requests to the users table: its entity operations and queries, and the entity-group transactions
    /// (<c>$batch</c>) whose body names it.
    /// </summary>
    public int UsersRequests => _counter.CountTo("/" + Tables.Prefix + JourneyTables.UsersTable);

    /// <summary>Requests made by <paramref name="act"/>, table creation excluded (tables are created before).</summary>
    public int Count(Action act)
    {
        _ = Tables.Users; // created outside the count
        var before = _counter.Count;
        act();
        return _counter.Count - before;
    }

    private sealed class RequestCounter : HttpPipelineSynchronousPolicy
    {
        private int _count;
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _paths = new();

        public int Count => Volatile.Read(ref _count);

        public int CountTo(string table) =>
            _paths.Count(p => p.Contains(table + "(", StringComparison.Ordinal) || p.EndsWith(table, StringComparison.Ordinal));

        public override void OnSendingRequest(HttpMessage message)
        {
            Interlocked.Increment(ref _count);
            var path = message.Request.Uri.Path;
            if (path.EndsWith("/$batch", StringComparison.Ordinal) && message.Request.Content is { } content)
            {
                // an entity-group transaction names its table inside its multipart body: keep it with the path
                using var body = new MemoryStream();
                content.WriteTo(body, CancellationToken.None);
                path += " " + System.Text.Encoding.UTF8.GetString(body.ToArray());
            }
            _paths.Enqueue(path);
        }
    }
}
