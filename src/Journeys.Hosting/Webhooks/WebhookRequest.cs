namespace Journeys.Hosting.Webhooks;

/// <summary>
/// One webhook call: the rendered URL, method, headers and body of a send, and the idempotency key the
/// receiver drops repeats by (stable across attempts). <see cref="Journey"/> is for logs only.
/// </summary>
public sealed record WebhookRequest(Uri Url, HttpMethod Method, IReadOnlyList<KeyValuePair<string, string?>> Headers, string? Body, string IdempotencyKey, string Journey)
{
    /// <summary>Builds a request from a send's content; a URL that is not absolute http(s) throws <see cref="FormatException"/>.</summary>
    public static WebhookRequest Create(string? url, string? method, IEnumerable<KeyValuePair<string, string?>> headers, string? body, string idempotencyKey, string journey)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw new FormatException("the URL is not absolute");
        }
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"scheme '{uri.Scheme}' is not http or https");
        }
        var verb = method is { Length: > 0 } m ? new HttpMethod(m.ToUpperInvariant()) : HttpMethod.Post;
        return new WebhookRequest(uri, verb, headers.ToList(), body, idempotencyKey, journey);
    }
}
