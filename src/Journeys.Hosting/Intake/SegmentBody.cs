using System.IO.Compression;
using Journeys.Hosting.Api;
using Microsoft.AspNetCore.Http;

namespace Journeys.Hosting.Intake;

/// <summary>
/// Reads an SDK route's body, gunzipping it when <c>Content-Encoding: gzip</c> says so. The limit applies to
/// the decompressed bytes and is checked as they come, so a small bomb never takes more than the limit.
/// </summary>
public static class SegmentBody
{
    /// <returns>The bytes; null when over <paramref name="limit"/>; <c>NotGzip</c> when the encoding is named but the bytes are not gzip.</returns>
    public static async Task<(byte[]? Body, bool NotGzip)> ReadAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(request, limit, cancel).ConfigureAwait(false) is not { } raw)
        {
            return (null, false);
        }
        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (raw, false);
        }
        if (!encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            return (null, true);
        }
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
            using var output = new MemoryStream(raw.Length * 4);
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = await gzip.ReadAsync(chunk, cancel).ConfigureAwait(false)) > 0)
            {
                if (output.Length + read > limit)
                {
                    return (null, false);
                }
                output.Write(chunk, 0, read);
            }
            return (output.ToArray(), false);
        }
        catch (InvalidDataException)
        {
            return (null, true);
        }
    }
}
