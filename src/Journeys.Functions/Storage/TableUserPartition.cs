using Azure;
using Azure.Data.Tables;
using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// The ingestion's view of a user (see <see cref="UserRows"/>): <see cref="Load"/> is one query over the
/// partition (every row before <c>r</c>, plus the message's dedupe row), <see cref="Commit"/> one
/// entity-group transaction (dedupe row, history row and counter, profile, memberships). The profile
/// and counter ETags guard the commit: an orchestration that changed the profile meanwhile makes it a
/// conflict, and the ingestor reads again.
/// </summary>
public sealed class TableUserPartition(JourneyTables tables) : IUserPartition
{
    private TableClient Users => tables.Users;

    public UserSnapshot Load(string userId, string? messageId)
    {
        var filter = $"PartitionKey eq {KeyText.Literal(userId)} and (RowKey lt '{UserRows.IngestionEnd}'"
            + (messageId is null ? ")" : $" or RowKey eq {KeyText.Literal(UserRows.Dedupe(messageId))})");
        Profile? profile = null;
        ETag? profileTag = null, counterTag = null;
        var seen = false;
        var history = new List<HistoryEvent>();
        var active = new List<EnrollmentState>();
        var ledgers = new Dictionary<string, JourneyEntries>(StringComparer.Ordinal);
        var segments = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in Users.Query<TableEntity>(filter))
        {
            var key = row.RowKey;
            switch (key[0])
            {
                case 'e' when row.GetBoolean("Active") == true:
                    active.Add(TableEnrollmentStore.ToState(row));
                    break;
                case 'h':
                    history.Add(TableHistoryStore.ToEvent(row));
                    break;
                case 'l':
                    ledgers[KeyText.Unescape(key[2..])] = new JourneyEntries(TableEntryLedger.Read(row), row.ETag.ToString());
                    break;
                case 'm':
                    segments.Add(KeyText.Unescape(key[2..]));
                    break;
                case 'p':
                    profile = TableProfileStore.ToProfile(userId, row);
                    profileTag = row.ETag;
                    break;
                case 'q':
                    counterTag = row.ETag;
                    break;
                case 'x':
                    seen = true;
                    break;
            }
        }
        return new UserSnapshot(
            userId, seen, profile, Versions.Write(profileTag, counterTag), history, TableEnrollmentStore.Oldest(active),
            journeyId => ledgers.GetValueOrDefault(journeyId) ?? JourneyEntries.None, segments);
    }

    public CommitOutcome Commit(UserChanges changes)
    {
        var (profileTag, counterTag) = Versions.Read(changes.ExpectedProfileVersion);
        var actions = new List<TableTransactionAction>(6);
        if (changes.MessageId is { } messageId)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(changes.UserId, UserRows.Dedupe(messageId))));
        }
        if (changes.Profile is { } profile)
        {
            actions.Add(profileTag is { } tag
                ? new(TableTransactionActionType.UpdateReplace, TableProfileStore.ToEntity(profile), tag)
                : new(TableTransactionActionType.Add, TableProfileStore.ToEntity(profile)));
        }
        if (changes.Appended is { } appended)
        {
            actions.Add(new(TableTransactionActionType.Add, TableHistoryStore.ToEntity(changes.UserId, appended)));
            var counter = new TableEntity(changes.UserId, UserRows.Sequence) { ["Last"] = appended.Sequence };
            actions.Add(counterTag is { } tag
                ? new(TableTransactionActionType.UpdateReplace, counter, tag)
                : new(TableTransactionActionType.Add, counter));
        }
        foreach (var (segment, member) in changes.Memberships ?? [])
        {
            var row = new TableEntity(changes.UserId, UserRows.Membership(segment));
            actions.Add(member ? new(TableTransactionActionType.UpsertReplace, row) : new(TableTransactionActionType.Delete, row, ETag.All));
        }
        if (actions.Count == 0)
        {
            return CommitOutcome.Committed;
        }
        try
        {
            Users.SubmitTransaction(actions);
            return CommitOutcome.Committed;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && changes.MessageId is not null && e.FailedTransactionActionIndex == 0)
        {
            return CommitOutcome.Duplicate; // the dedupe row exists: a repeat, nothing was written
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return CommitOutcome.Conflict;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404 && changes.MessageId is null)
        {
            return CommitOutcome.Committed; // a membership already gone
        }
    }

    public bool RecordEntry(EnrollmentState started, JourneyEntries previous)
    {
        var ledger = TableEntryLedger.ToEntity(started.JourneyId, started.UserId, [.. previous.At, started.EnteredAt]);
        try
        {
            Users.SubmitTransaction([
                previous.Version is { } version
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ledger, new ETag(version))
                    : new TableTransactionAction(TableTransactionActionType.Add, ledger),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, TableEnrollmentStore.ToEntity(started)),
            ]);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            return false;
        }
    }

    public IEnumerable<string> UserIds() => new TableProfileStore(Users).UserIds();

    public IEnumerable<EnrollmentState> ActiveIn(string journeyId) => new TableEnrollmentStore(Users).ActiveIn(journeyId);

    /// <summary>The snapshot's opaque version: the profile row's and the history counter's ETags.</summary>
    private static class Versions
    {
        public static string Write(ETag? profile, ETag? counter) => $"{profile}\n{counter}";

        public static (ETag? Profile, ETag? Counter) Read(string? version)
        {
            if (version is null)
            {
                return (null, null);
            }
            var parts = version.Split('\n');
            return (parts[0].Length == 0 ? null : new ETag(parts[0]), parts[1].Length == 0 ? null : new ETag(parts[1]));
        }
    }
}
