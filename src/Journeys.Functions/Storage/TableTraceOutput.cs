using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// Trace records as <c>t|{ticks}|{scope}|{n}</c> rows of the user's partition. The scope names who
/// wrote them (an enrollment's decision, an ingested message), so an activity or an ingestion that runs
/// again rewrites the same rows instead of adding copies, and records of one instant keep their order.
/// Messages are not sent from here: the decision's Apply activity delivers them.
/// </summary>
public sealed class TableTraceOutput(JourneyTables tables) : IRuntimeOutput
{
    private static readonly AsyncLocal<ScopeState?> Current = new();

    /// <summary>Until disposed, records are keyed under <paramref name="scope"/>, numbered in order.</summary>
    public IDisposable Scope(string scope)
    {
        var state = new ScopeState(scope);
        Current.Value = state;
        return state;
    }

    public void Trace(TraceRecord record)
    {
        var scope = Current.Value ?? throw new InvalidOperationException("trace records are written within a scope");
        var rowKey = UserRows.Trace(record.At, scope.Name, scope.Next++);
        var json = TraceJson(record);
        tables.Users.UpsertEntity(UserRow(record, rowKey, json), TableUpdateMode.Replace);
        // the same idempotent upsert by journey, so stats never scan the users table
        tables.JourneyTrace.UpsertEntity(JourneyTraceRows.Row(record, rowKey, json), TableUpdateMode.Replace);
    }

    /// <summary>A trace record's row in its user's partition, under <paramref name="rowKey"/> (<see cref="UserRows.Trace"/>).</summary>
    internal static TableEntity UserRow(TraceRecord record, string rowKey, string json) => new(record.User, rowKey)
    {
        ["Journey"] = record.Journey,
        ["At"] = record.At,
        ["Kind"] = record.Kind,
        ["Record"] = json,
    };

    public void Send(SendMessage message) =>
        throw new InvalidOperationException("messages go to the Apply activity's delivery, not the trace output");

    internal static string TraceJson(TraceRecord record)
    {
        var buffer = new System.IO.MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, TraceRecord.WriterOptions))
        {
            record.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class ScopeState(string name) : IDisposable
    {
        public string Name { get; } = name;

        public int Next { get; set; }

        public void Dispose() => Current.Value = null;
    }
}
