using Journeys.Core.Audience;

namespace Journeys.Core.Engine;

/// <summary>
/// Keyed enrollments (DESIGN §9, <c>entry.key</c>): the key's value from an event, its escaped form
/// for ids, and the scope entries and re-entry rules count in. Shared by every driver.
/// </summary>
public static class EntryKeys
{
    /// <summary>
    /// The key in the event properties at <paramref name="path"/> as text: a string as it
    /// is, a number in invariant form, true/false; null when absent, null or not a scalar.
    /// </summary>
    public static string? Of(string[]? path, Value properties)
    {
        if (path is null)
        {
            return null;
        }
        var value = properties.Get(path);
        return value.Kind switch
        {
            ValueKind.String => value.AsString is { Length: > 0 } s ? s : null,
            ValueKind.Number or ValueKind.True or ValueKind.False => value.ToString(),
            _ => null,
        };
    }

    /// <summary>A <c>key</c> as the pre-split path <see cref="Of"/> takes.</summary>
    public static string[]? Path(string? key) => key?.Split('.');

    /// <summary>
    /// RFC 3986 percent-encoding of everything but unreserved characters (<c>A-Z a-z 0-9 - . _ ~</c>):
    /// no ':' (the id separator), and nothing Azure Table keys or Durable instance ids refuse ('/', '\', '#', '?').
    /// </summary>
    public static string Escape(string key) => Uri.EscapeDataString(key);

    /// <summary>The entry-ledger scope: the journey id, or <c>{journey}:{escaped key}</c> (journey ids hold no ':').</summary>
    public static string Scope(string journeyId, string? key) => key is null ? journeyId : $"{journeyId}:{Escape(key)}";

    /// <summary>
    /// Whether an event reaches an enrollment of key <paramref name="enrollmentKey"/>: it does unless it
    /// carries the key property with another value.
    /// </summary>
    public static bool Reaches(string[]? keyPath, string? enrollmentKey, Value properties)
    {
        if (keyPath is null || enrollmentKey is null)
        {
            return true;
        }
        var key = Of(keyPath, properties);
        return key is null || string.Equals(key, enrollmentKey, StringComparison.Ordinal);
    }

    /// <summary>
    /// DESIGN §9: an event whose properties carry <c>enrollment</c> (an engagement event about a message)
    /// reaches only that enrollment; one without it reaches any, subject to the key.
    /// </summary>
    public static bool Reaches(CompiledJourney journey, EnrollmentState enrollment, Value properties) =>
        (properties["enrollment"].AsString is not { } target || string.Equals(target, enrollment.EnrollmentId, StringComparison.Ordinal))
        && Reaches(journey.EntryKeyPath, enrollment.Key, properties);
}
