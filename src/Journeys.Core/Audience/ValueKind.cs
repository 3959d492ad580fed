namespace Journeys.Core.Audience;

/// <summary>The JSON kinds a <see cref="Value"/> can hold, plus <see cref="Missing"/> for an absent path.</summary>
public enum ValueKind : byte
{
    Missing,
    Null,
    False,
    True,
    Number,
    String,
    Array,
    Object,
}
