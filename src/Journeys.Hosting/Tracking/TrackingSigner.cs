using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Journeys.Hosting.Tracking;

/// <summary>
/// Tokens as <c>base64url(payload).base64url(HMAC-SHA256(secret, payload))</c>, the payload a compact JSON array.
/// Only the holder of the secret can make one; any change to the payload or the signature fails
/// <see cref="TryRead"/>, compared in constant time.
/// </summary>
public sealed class TrackingSigner
{
    /// <summary>The payload's format version, first in the array (a later format can still read old links).</summary>
    private const int Version = 1;
    private const int MinSecretBytes = 16;
    private readonly byte[] _key;

    public TrackingSigner(string secret)
    {
        _key = Encoding.UTF8.GetBytes(secret);
        if (_key.Length < MinSecretBytes)
        {
            throw new ArgumentException($"the tracking secret must be at least {MinSecretBytes} bytes", nameof(secret));
        }
    }

    public string Sign(TrackingToken token)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            json.WriteNumberValue(Version);
            json.WriteStringValue(token.Kind == TrackingKind.Open ? "o" : "c");
            json.WriteStringValue(token.Journey);
            json.WriteStringValue(token.User);
            json.WriteStringValue(token.Enrollment);
            json.WriteStringValue(token.Step);
            json.WriteStringValue(token.MessageKey);
            json.WriteNumberValue(token.Link);
            json.WriteStringValue(token.UrlHash);
            json.WriteEndArray();
        }
        var payload = buffer.WrittenSpan;
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>The token's content, or null when it was not made with this secret, was changed, or is not a token.</summary>
    public TrackingToken? TryRead(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot > 4096 || dot == text.Length - 1)
        {
            return null;
        }
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(text.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(text.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, payload)))
        {
            return null;
        }
        // signed by us, so well-formed unless the format changed: read defensively all the same
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var a = doc.RootElement;
            if (a.ValueKind != JsonValueKind.Array || a.GetArrayLength() != 9 || a[0].GetInt32() != Version)
            {
                return null;
            }
            TrackingKind? kind = a[1].GetString() switch { "o" => TrackingKind.Open, "c" => TrackingKind.Click, _ => null };
            if (kind is not { } k)
            {
                return null;
            }
            return new TrackingToken(k, a[2].GetString()!, a[3].GetString()!, a[4].GetString()!, a[5].GetString()!, a[6].GetString()!,
                a[7].GetInt32(), a[8].GetString()!);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The hash a click token carries for <paramref name="url"/>.</summary>
    public static string UrlHash(string url) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(url)).AsSpan(0, 16));
}
