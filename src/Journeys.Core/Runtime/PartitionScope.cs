using Journeys.Core.Engine;

namespace Journeys.Core.Runtime;

/// <summary>
/// What of a user's enrollments and entry ledgers one partition read takes (<see cref="IUserPartition.Load(string, string?, PartitionScope)"/>):
/// the profile, history, memberships and dedupe row always; enrollments and ledgers only of the journeys the
/// decision looks at (<see cref="IngestionScope"/>), so a user's thousands of open keys of one journey are not read
/// for an event that cannot concern them. Only active enrollments are read. A snapshot asked for a ledger outside
/// its scope throws: a decision never works on rows it did not read.
/// </summary>
public sealed class PartitionScope
{
    private readonly Dictionary<string, JourneyRows> _journeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ledgers = new(StringComparer.Ordinal);

    private PartitionScope(bool everything) => IsEverything = everything;

    /// <summary>Every enrollment and ledger row of the user.</summary>
    public static PartitionScope Everything { get; } = new(everything: true);

    public static PartitionScope Create() => new(everything: false);

    public bool IsEverything { get; }

    /// <summary>The journeys whose enrollments are read, in id order (a stable query text).</summary>
    public IEnumerable<KeyValuePair<string, JourneyRows>> Journeys => _journeys.OrderBy(j => j.Key, StringComparer.Ordinal);

    /// <summary>The entry-ledger scopes read (<see cref="EntryKeys.Scope"/>), in order.</summary>
    public IEnumerable<string> Ledgers => _ledgers.Order(StringComparer.Ordinal);

    /// <summary>Every active enrollment of the journey.</summary>
    public PartitionScope AllOf(string journeyId)
    {
        _journeys[journeyId] = JourneyRows.All;
        return this;
    }

    /// <summary>
    /// The journey's active enrollments of <paramref name="key"/> and/or its keyless one (null: that one only).
    /// Of a journey's keyless enrollments only the latest can be active (each entry checks the one before).
    /// </summary>
    public PartitionScope KeyOf(string journeyId, string? key, bool keyless)
    {
        var rows = _journeys.GetValueOrDefault(journeyId) ?? new JourneyRows(false, [], false);
        if (!rows.Whole)
        {
            _journeys[journeyId] = rows with
            {
                Keys = key is null || rows.Keys.Contains(key) ? rows.Keys : [.. rows.Keys, key],
                Keyless = rows.Keyless || keyless || key is null,
            };
        }
        return this;
    }

    public PartitionScope Ledger(string scope)
    {
        _ledgers.Add(scope);
        return this;
    }

    public bool HasLedger(string scope) => IsEverything || _ledgers.Contains(scope);

    /// <summary>Whether an active enrollment is within the scope (the in-memory partition filters with it).</summary>
    public bool Contains(EnrollmentState enrollment)
    {
        if (IsEverything)
        {
            return true;
        }
        if (!_journeys.TryGetValue(enrollment.JourneyId, out var rows))
        {
            return false;
        }
        return rows.Whole || (enrollment.Key is { } key ? rows.Keys.Contains(key, StringComparer.Ordinal) : rows.Keyless);
    }

    /// <summary>Which enrollments of one journey a read takes.</summary>
    /// <param name="Whole">All of them.</param>
    /// <param name="Keys">Else those of these keys.</param>
    /// <param name="Keyless">And the keyless one that can be active.</param>
    public sealed record JourneyRows(bool Whole, IReadOnlyList<string> Keys, bool Keyless)
    {
        public static JourneyRows All { get; } = new(true, [], false);
    }
}
