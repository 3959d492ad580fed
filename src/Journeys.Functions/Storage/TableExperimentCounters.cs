using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Journeys.Core.Engine;
using Journeys.Core.Engine.Experiments;
using Journeys.Core.Orchestration;
using Journeys.Core.Runtime;

namespace Journeys.Functions.Storage;

/// <summary>
/// The tallies of experiment splits with a <c>winner</c> rule (DESIGN §10) in the <c>counters</c> table, one partition
/// per split, <c>x|{journey}|{step}</c> (escaped ids never hold '|', so no journey's entry partition is one):
/// <list type="bullet">
/// <item><c>s|{path}|{shard}</c>: <c>Entered</c>, <c>Converted</c> and <c>First</c> (the earliest entry) of the users
/// hashed to that shard, 16 per path, so no row is written by every enrollment;</item>
/// <item><c>w</c>: the winner, added once (the first stays);</item>
/// <item><c>~|{user}</c>: the user's latest assignment (<c>Path</c>, <c>At</c>, <c>Converted</c>, and the <c>Marker</c>
/// of the decision that made it).</item>
/// </list>
/// An assignment or a conversion replaces the user's row and its shard in one entity-group transaction under the
/// ETags they were read with: a retried activity finds its marker and counts nothing, a conversion finds the row
/// converted, and a race reads again. The tally is one partition query over the rows before <c>~</c>.
/// </summary>
public sealed class TableExperimentCounters(JourneyTables tables) : IExperimentCounts, IExperimentConversions
{
    private const int Shards = 16;
    private const int MaxAttempts = 64;
    private const string WinnerRow = "w";
    /// <summary>The partitions of the tallies (journey partitions are escaped ids: '|' never appears in them).</summary>
    public const string PartitionPrefix = "x|";

    /// <summary>The users' assignment rows, after the shard and winner rows.</summary>
    public const string UserPrefix = "~|";

    public ExperimentTally Tally(string journeyId, string stepId)
    {
        var partition = Partition(journeyId, stepId);
        var paths = new Dictionary<string, PathTally>(StringComparer.Ordinal);
        DateTimeOffset? started = null;
        string? winner = null;
        foreach (var row in tables.Counters.Query<TableEntity>($"PartitionKey eq {KeyText.Literal(partition)} and RowKey lt {KeyText.Literal(UserPrefix)}"))
        {
            if (row.RowKey == WinnerRow)
            {
                winner = row.GetString("Path");
                continue;
            }
            var path = row.GetString("Path") ?? "";
            var tally = paths.GetValueOrDefault(path);
            paths[path] = new PathTally(tally.Entered + (row.GetInt64("Entered") ?? 0), tally.Converted + (row.GetInt64("Converted") ?? 0));
            if (row.GetDateTimeOffset("First") is { } first && (started is null || first < started))
            {
                started = first;
            }
        }
        return new ExperimentTally(started, winner, paths);
    }

    public void Assign(ExperimentAssigned assigned, string marker)
    {
        var partition = Partition(assigned.JourneyId, assigned.Step);
        var userRow = UserPrefix + KeyText.Escape(assigned.UserId);
        var shardRow = ShardRow(assigned.JourneyId, assigned.Step, assigned.Path, assigned.UserId);
        Transact(() =>
        {
            var user = Read(partition, userRow);
            if (user?.GetString("Marker") == marker)
            {
                return null; // counted by an earlier run of the same activity
            }
            var shard = Read(partition, shardRow);
            var first = shard?.GetDateTimeOffset("First") is { } was && was <= assigned.At ? was : assigned.At;
            return
            [
                Write(user, new TableEntity(partition, userRow)
                {
                    ["Path"] = assigned.Path, ["At"] = assigned.At, ["Converted"] = false, ["Marker"] = marker,
                }),
                Write(shard, new TableEntity(partition, shardRow)
                {
                    ["Path"] = assigned.Path, ["Entered"] = (shard?.GetInt64("Entered") ?? 0) + 1,
                    ["Converted"] = shard?.GetInt64("Converted") ?? 0, ["First"] = first,
                }),
            ];
        });
    }

    public void ChooseWinner(WinnerChosen chosen)
    {
        try
        {
            tables.Counters.AddEntity(new TableEntity(Partition(chosen.JourneyId, chosen.Step), WinnerRow) { ["Path"] = chosen.Path, ["At"] = chosen.At });
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // chosen before (by another enrollment from the same counts, or this activity's earlier run): the first stays
        }
    }

    public ExperimentAssignment? Assignment(string journeyId, string stepId, string userId) =>
        Read(Partition(journeyId, stepId), UserPrefix + KeyText.Escape(userId)) is { } row
            ? new ExperimentAssignment(row.GetString("Path") ?? "", row.GetDateTimeOffset("At") ?? default, row.GetBoolean("Converted") ?? false)
            : null;

    public void Convert(string journeyId, string stepId, string userId)
    {
        var partition = Partition(journeyId, stepId);
        var userRow = UserPrefix + KeyText.Escape(userId);
        Transact(() =>
        {
            if (Read(partition, userRow) is not { } user || user.GetBoolean("Converted") == true)
            {
                return null; // not assigned, or converted already (a redelivered event, a concurrent one)
            }
            var path = user.GetString("Path") ?? "";
            var shardRow = ShardRow(journeyId, stepId, path, userId);
            var shard = Read(partition, shardRow);
            user["Converted"] = true;
            return
            [
                Write(user, user),
                Write(shard, new TableEntity(partition, shardRow)
                {
                    ["Path"] = path, ["Entered"] = shard?.GetInt64("Entered") ?? 0,
                    ["Converted"] = (shard?.GetInt64("Converted") ?? 0) + 1, ["First"] = shard?.GetDateTimeOffset("First") ?? user.GetDateTimeOffset("At"),
                }),
            ];
        });
    }

    /// <param name="decide">The transaction to submit on what it read, or null when there is nothing to write.</param>
    private void Transact(Func<TableTransactionAction[]?> decide)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (decide() is not { } actions)
            {
                return;
            }
            try
            {
                tables.Counters.SubmitTransaction(actions);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // another writer changed the user's row or the shard in between: read again, after a short random pause
                Thread.Sleep(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)));
            }
        }
    }

    private static TableTransactionAction Write(TableEntity? read, TableEntity entity) => read is null
        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, read.ETag);

    private TableEntity? Read(string partition, string row)
    {
        var found = tables.Counters.GetEntityIfExists<TableEntity>(partition, row);
        return found.HasValue ? found.Value : null;
    }

    private static string Partition(string journeyId, string stepId) => $"{PartitionPrefix}{KeyText.Escape(journeyId)}|{KeyText.Escape(stepId)}";

    /// <summary>The user's shard of the path: hashed apart from the path choice, so each path spreads over all 16.</summary>
    private static string ShardRow(string journeyId, string stepId, string path, string userId)
    {
        var shard = Math.Min(Shards - 1, (int)(SplitHash.Bucket(journeyId, stepId + "#shard", userId) * Shards / 100));
        return $"s|{KeyText.Escape(path)}|{shard.ToString("00", CultureInfo.InvariantCulture)}";
    }
}
