using System.Net;
using System.Text.RegularExpressions;
using Journeys.Core.Engine;

namespace Journeys.Hosting.Tracking;

/// <summary>
/// Adds built-in tracking to a message of a send with <c>"track": true</c> (DESIGN §9), at delivery: every
/// <c>href</c> to an http(s) URL in the e-mail's <c>body</c> becomes <c>{baseUrl}/t/c/{token}?u={url}</c> and an
/// open pixel <c>{baseUrl}/t/o/{token}</c> goes before <c>&lt;/body&gt;</c> (or at the end). A pure function of the
/// message, the secret and the base URL, so a retried delivery sends the same bytes. serve's outbox and the
/// Functions app's sending activity both call it; the engine never sees tracking.
/// </summary>
public sealed partial class TrackingRewriter(TrackingSigner signer, Func<string> baseUrl)
{
    public const string BodyField = "body";

    // the attribute itself, not data-href and the like
    [GeneratedRegex("""(?<![\w-])href\s*=\s*(?:"(?<u>[^"]*)"|'(?<u>[^']*)')""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Href();

    [GeneratedRegex("</body\\s*>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.RightToLeft)]
    private static partial Regex BodyEnd();

    /// <summary>The message as delivered: unchanged unless it is a tracked e-mail with a body.</summary>
    public SendMessage Apply(SendMessage message)
    {
        if (!message.Track || message.Channel != Core.Definitions.Channel.Email || !message.Content.TryGetValue(BodyField, out var body))
        {
            return message;
        }
        var identity = new TrackedMessage(message.JourneyId, message.UserId, message.EnrollmentId, message.Step, message.IdempotencyKey);
        var content = new Dictionary<string, string>(message.Content, StringComparer.Ordinal) { [BodyField] = Rewrite(body, identity) };
        return message with { Content = content };
    }

    /// <summary>An e-mail body with its links rewritten and the open pixel added.</summary>
    public string Rewrite(string body, TrackedMessage message)
    {
        var root = baseUrl().TrimEnd('/');
        var link = 0;
        var rewritten = Href().Replace(body, m =>
        {
            var group = m.Groups["u"];
            // the browser follows the attribute's decoded value: that is the URL to sign and to redirect to
            var url = WebUtility.HtmlDecode(group.Value);
            if (!IsWebUrl(url))
            {
                return m.Value; // mailto:, tel:, #anchors and relative links stay as they are
            }
            var token = signer.Sign(message.Token(TrackingKind.Click, link++, TrackingSigner.UrlHash(url)));
            var tracked = $"{root}/t/c/{token}?u={Uri.EscapeDataString(url)}";
            return string.Concat(m.Value.AsSpan(0, group.Index - m.Index), WebUtility.HtmlEncode(tracked), m.Value.AsSpan(group.Index - m.Index + group.Length));
        });
        var pixel = $"<img src=\"{WebUtility.HtmlEncode($"{root}/t/o/{signer.Sign(message.Token(TrackingKind.Open, -1, ""))}")}\" width=\"1\" height=\"1\" alt=\"\" style=\"display:block;width:1px;height:1px;border:0\">";
        var end = BodyEnd().Match(rewritten);
        return end.Success ? rewritten.Insert(end.Index, pixel) : rewritten + pixel;
    }

    private static bool IsWebUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
