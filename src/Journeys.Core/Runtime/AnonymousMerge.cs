using Journeys.Core.Audience;

namespace Journeys.Core.Runtime;

/// <summary>
/// Identity resolution for the Azure ingestion (DESIGN §3), as <see cref="JourneyRuntime.MergeAnonymous"/> does on one
/// node: on an identify or alias that names an anonymous id, the anonymous profile's traits (the user's own win) and
/// history join the user's partition, once per pair. Each history event is its own commit under a key of its own, and
/// the profile comes last under the pair's key, so a crash halfway resumes where it stopped and a repeat merges nothing
/// again. Merged events join the history only: the user's enrollments never take them as arrivals. The anonymous
/// partition stays as it was. Cost: two reads when there is nothing to merge or it was merged before; else a read and
/// a write per history event, and one more of each for the profile.
/// </summary>
public static class AnonymousMerge
{
    private const int MaxAttempts = 5;

    /// <summary>Merges when <paramref name="e"/> is an identify (or alias) carrying an anonymous id other than its user's.</summary>
    public static void OnIdentify(IUserPartition users, CustomerEvent e)
    {
        if (e.Type == EventType.Identify && e.AnonymousId is { } anonymousId && anonymousId != e.UserId)
        {
            Merge(users, anonymousId, e.UserId);
        }
    }

    /// <summary>The dedupe key of one anonymous id's merge into one user: each pair merges once, in every runtime.</summary>
    public static string PairKey(string anonymousId, string userId) => $"merge\u001f{anonymousId}\u001f{userId}";

    /// <summary>The user's profile after the merge: the anonymous traits, then the user's own over them (the user's win).</summary>
    public static Profile Traits(string userId, Profile anonymous, Profile? user) =>
        Profile.Empty(userId).Merge(anonymous.TraitsValue).Merge(user?.TraitsValue ?? CustomerEvent.EmptyObject);

    public static void Merge(IUserPartition users, string anonymousId, string userId)
    {
        var anonymous = users.Load(anonymousId, null);
        if (anonymous.Profile is null)
        {
            return; // no anonymous profile: nothing to merge
        }
        var pair = PairKey(anonymousId, userId);
        var user = users.Load(userId, pair);
        if (user.Seen)
        {
            return;
        }
        foreach (var h in anonymous.History)
        {
            Commit(users, ref user, u => new UserChanges(
                userId, $"{pair}\u001f{h.Sequence}", ExpectedProfileVersion: u.ProfileVersion,
                Appended: new HistoryEvent(u.LastSequence + 1, h.Event, h.Timestamp, h.Properties), ProcessedAt: h.Timestamp, HistoryOnly: true));
        }
        Commit(users, ref user, u => new UserChanges(
            userId, pair, Traits(userId, anonymous.Profile, u.Profile), u.ProfileVersion));
    }

    /// <summary>One commit, decided on the partition as it is: a conflict reads it again; a duplicate was done before.</summary>
    private static void Commit(IUserPartition users, ref UserSnapshot user, Func<UserSnapshot, UserChanges> changes)
    {
        for (var attempt = 1; ; attempt++)
        {
            var outcome = users.Commit(changes(user));
            // the partition's versions moved (or may have): the next commit decides on a fresh read
            user = users.Load(user.UserId, null);
            if (outcome != CommitOutcome.Conflict)
            {
                return;
            }
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"the user's partition kept changing under {MaxAttempts} attempts to merge an anonymous profile");
            }
        }
    }
}
