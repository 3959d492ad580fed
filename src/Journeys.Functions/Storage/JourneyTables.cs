using Azure.Data.Tables;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>The app's tables (created on first use) and the runtime ports over them.</summary>
public sealed class JourneyTables
{
    public const string UsersTable = "users";
    public const string JourneysTable = "journeys";
    public const string DedupeTable = "dedupe";
    public const string TimersTable = "timers";
    public const string SchedulesTable = "schedules";
    public const string DeadLettersTable = "deadletters";

    /// <summary>A copy of each trace record by journey (the admin API's stats and trace by journey read it, not the users table).</summary>
    public const string JourneyTraceTable = "journeytrace";

    /// <summary>Each ACS send's operation id to its message (Channels/AcsMessageMap): how delivery and engagement reports find their enrollment.</summary>
    public const string AcsMessagesTable = "acsmessages";

    /// <summary>Counts across users: entries per journey and UTC day, for journeys' <c>limits</c> (Storage/TableEntryCounters).</summary>
    public const string CountersTable = "counters";

    /// <summary>Secrets the app makes for itself on first use (the tracking key: Channels/AzureTracking), never in configuration.</summary>
    public const string SecretsTable = "secrets";

    private readonly TableServiceClient _service;
    private readonly HashSet<string> _created = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private readonly TimeProvider _time;

    public JourneyTables(TableServiceClient service, TimeProvider time, string? prefix = null)
    {
        _service = service;
        _time = time;
        Prefix = prefix ?? "";
    }

    /// <summary>Prepended to every table name (tests run each case in tables of its own).</summary>
    public string Prefix { get; }

    public TableClient Users => Table(UsersTable);

    public TableClient Journeys => Table(JourneysTable);

    public TableClient Dedupe => Table(DedupeTable);

    public TableClient Timers => Table(TimersTable);

    public TableClient Schedules => Table(SchedulesTable);

    public TableClient DeadLetters => Table(DeadLettersTable);

    public TableClient JourneyTrace => Table(JourneyTraceTable);

    public TableClient AcsMessages => Table(AcsMessagesTable);

    public TableClient Secrets => Table(SecretsTable);

    public TableClient Counters => Table(CountersTable);

    public RuntimeStores Stores() => new(
        new TableProfileStore(Users),
        new TableHistoryStore(Users),
        new TableDedupeStore(Dedupe),
        new TableEnrollmentStore(Users),
        new TableEntryLedger(Users),
        new TableMembershipStore(Users),
        new TableTimerIndex(Timers, _time),
        new TableSendLog(Users));

    private TableClient Table(string name)
    {
        var client = _service.GetTableClient(Prefix + name);
        lock (_gate)
        {
            if (_created.Add(name))
            {
                client.CreateIfNotExists();
            }
        }
        return client;
    }
}
