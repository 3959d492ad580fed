using System.Text;

namespace Journeys.Core.Engine;

/// <summary>
/// The stable bucket of a user in a split: FNV-1a over "journey/step/user", so a user lands on the
/// same path in every runner, every run and every version of .NET (string.GetHashCode is randomized).
/// </summary>
public static class SplitHash
{
    /// <summary>A number in [0, 100).</summary>
    public static double Bucket(string journeyId, string stepId, string userId)
    {
        const ulong offset = 14695981039346656037UL, prime = 1099511628211UL;
        var hash = offset;
        Span<byte> buffer = stackalloc byte[256];
        foreach (var part in (ReadOnlySpan<string>)[journeyId, "/", stepId, "/", userId])
        {
            var bytes = Encoding.UTF8.GetByteCount(part) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(part, buffer)] : Encoding.UTF8.GetBytes(part);
            foreach (var b in bytes)
            {
                hash = (hash ^ b) * prime;
            }
        }
        // Fold the high bits in: FNV's low bits mix poorly for short, similar keys.
        hash ^= hash >> 29;
        return hash % 1_000_000 / 10_000.0;
    }

    /// <summary>The split path whose cumulative percent range holds the user's bucket.</summary>
    public static int Choose(IReadOnlyList<Definitions.SplitPath> paths, double bucket)
    {
        var cumulative = 0.0;
        for (var i = 0; i < paths.Count; i++)
        {
            cumulative += paths[i].Percent;
            if (bucket < cumulative)
            {
                return i;
            }
        }
        return paths.Count - 1;
    }
}
