using System.Collections.Concurrent;

namespace Journeys.Core.Audience;

/// <summary>
/// A customer's traits. Immutable: an identify or an <c>update</c> step produces a new profile, so
/// an engine decision can never observe a half-applied change.
/// </summary>
public sealed class Profile
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> TimeZones = new(StringComparer.Ordinal);

    private Profile(string userId, Dictionary<string, Value> traits)
    {
        UserId = userId;
        Traits = traits;
        TraitsValue = Value.From(traits);
        TimeZone = ResolveTimeZone(traits.TryGetValue("timezone", out var tz) ? tz.AsString : null);
    }

    public string UserId { get; }

    public IReadOnlyDictionary<string, Value> Traits { get; }

    /// <summary>The traits as one object value, for path look-ups.</summary>
    public Value TraitsValue { get; }

    /// <summary>The <c>timezone</c> trait (IANA id); UTC when absent or unknown.</summary>
    public TimeZoneInfo TimeZone { get; }

    public static Profile Empty(string userId) => new(userId, new Dictionary<string, Value>(StringComparer.Ordinal));

    public static Profile Create(string userId, IReadOnlyDictionary<string, Value> traits) =>
        Empty(userId).Merge(Value.From(traits));

    /// <summary>Merges traits (an object value): a field set to null removes the trait.</summary>
    public Profile Merge(Value traits)
    {
        var changes = traits.AsObject;
        if (changes is null || changes.Count == 0)
        {
            return this;
        }
        return new Profile(UserId, MergeObjects(Traits, changes));
    }

    public Value Trait(string name) => TraitsValue[name];

    /// <summary>
    /// Objects merge field by field at every depth, so <c>{"consent": {"email": false}}</c> keeps
    /// <c>consent.sms</c>; null removes; anything else replaces.
    /// </summary>
    private static Dictionary<string, Value> MergeObjects(IReadOnlyDictionary<string, Value> current, IReadOnlyDictionary<string, Value> changes)
    {
        var merged = new Dictionary<string, Value>(current.Count + changes.Count, StringComparer.Ordinal);
        foreach (var (name, value) in current)
        {
            merged[name] = value;
        }
        foreach (var (name, value) in changes)
        {
            if (value.Kind is ValueKind.Null or ValueKind.Missing)
            {
                merged.Remove(name);
            }
            else if (value.AsObject is { } inner && merged.TryGetValue(name, out var existing) && existing.AsObject is { } before)
            {
                merged[name] = Value.From(MergeObjects(before, inner));
            }
            else
            {
                merged[name] = value;
            }
        }
        return merged;
    }


    /// <summary>The traits as plain objects plus <c>userId</c>: the template model's <c>profile</c>, built once per profile version.</summary>
    public IReadOnlyDictionary<string, object?> TemplateData => BuildTemplateData();

    private Dictionary<string, object?> BuildTemplateData()
    {
        var data = (Dictionary<string, object?>)TraitsValue.ToPlain()!;
        data["userId"] = UserId;
        return data;
    }

    /// <summary>The consent flag for a channel: true, false, or null when the profile says nothing.</summary>
    public bool? Consent(string channel) => TraitsValue["consent"][channel].Kind switch
    {
        ValueKind.True => true,
        ValueKind.False => false,
        _ => null,
    };

    private static TimeZoneInfo ResolveTimeZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return TimeZoneInfo.Utc;
        }
        if (TimeZones.TryGetValue(id, out var zone))
        {
            return zone;
        }
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out zone))
        {
            // not cached: a stream of made-up ids must not grow memory
            return TimeZoneInfo.Utc;
        }
        return TimeZones.GetOrAdd(id, zone);
    }
}
