using System.Buffers.Text;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Tracking;

namespace Journeys.Local.Tests.Tracking;

/// <summary>Tokens: what is signed comes back; anything changed, or signed with another secret, does not.</summary>
public sealed class TrackingSignerTests
{
    private const string Secret = "a-test-secret-of-at-least-16-bytes";
    private static readonly TrackingToken Click = new(TrackingKind.Click, "cart", "u:1", "cart:u:1:1", "remind", "cart:u:1:1:remind:1", 2, TrackingSigner.UrlHash("https://shop.example/cart?id=7"));

    [Fact]
    public void A_signed_token_reads_back_as_it_was_signed()
    {
        var signer = new TrackingSigner(Secret);
        Assert.Equal(Click, signer.TryRead(signer.Sign(Click)));
        var open = Click with { Kind = TrackingKind.Open, Link = -1, UrlHash = "" };
        Assert.Equal(open, signer.TryRead(signer.Sign(open)));
    }

    [Fact]
    public void Every_changed_character_of_a_token_is_rejected()
    {
        var signer = new TrackingSigner(Secret);
        var token = signer.Sign(Click);
        for (var i = 0; i < token.Length; i++)
        {
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.Null(signer.TryRead(changed));
        }
        Assert.Null(signer.TryRead(token[..^1]));
        Assert.Null(signer.TryRead(token + "A"));
        Assert.Null(signer.TryRead("not-a-token"));
        Assert.Null(signer.TryRead(""));
    }

    [Fact]
    public void A_payload_re_signed_with_another_secret_or_edited_is_rejected()
    {
        var signer = new TrackingSigner(Secret);
        Assert.Null(signer.TryRead(new TrackingSigner(Secret + "x").Sign(Click)));

        // an attacker edits the readable payload (another enrollment) and keeps the signature
        var token = signer.Sign(Click);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(0, dot)));
        var forged = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.Replace("cart:u:1:1\"", "cart:u:2:1\"", StringComparison.Ordinal))) + token[dot..];
        Assert.NotEqual(token, forged);
        Assert.Null(signer.TryRead(forged));
    }

    [Fact]
    public void A_short_secret_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TrackingSigner("short"));

    [Fact]
    public void The_rewrite_tracks_web_links_only_adds_one_pixel_and_signs_each_link_for_its_own_url()
    {
        var signer = new TrackingSigner(Secret);
        var rewriter = new TrackingRewriter(signer, () => "http://127.0.0.1:5000/");
        var body = """<html><body><a href="https://shop.example/cart?id=7&amp;x=1">cart</a> <a href='mailto:help@example.com'>mail</a> <a HREF="http://shop.example/b">b</a> <div data-href="https://shop.example/x"></div></body></html>""";
        var message = new SendMessage(DateTimeOffset.UnixEpoch, "cart:u:1:1", "u:1", "cart", "remind", Channel.Email, "a@example.com",
            new Dictionary<string, string> { ["subject"] = "s", ["body"] = body }, new Dictionary<string, string>(), "cart:u:1:1:remind:1") { Track = true };

        var sent = rewriter.Apply(message).Content["body"];

        Assert.Contains("href='mailto:help@example.com'", sent, StringComparison.Ordinal);
        Assert.Contains("data-href=\"https://shop.example/x\"", sent, StringComparison.Ordinal);
        var clicks = Regex.Matches(sent, "href=\"http://127\\.0\\.0\\.1:5000/t/c/([^\"?]+)\\?u=([^\"]+)\"", RegexOptions.IgnoreCase);
        Assert.Equal(2, clicks.Count);
        var first = signer.TryRead(clicks[0].Groups[1].Value)!;
        var url = Uri.UnescapeDataString(WebUtility.HtmlDecode(clicks[0].Groups[2].Value));
        Assert.Equal("https://shop.example/cart?id=7&x=1", url);
        Assert.Equal((TrackingKind.Click, 0, TrackingSigner.UrlHash(url), "cart:u:1:1", "u:1"), (first.Kind, first.Link, first.UrlHash, first.Enrollment, first.User));
        Assert.Equal(1, signer.TryRead(clicks[1].Groups[1].Value)!.Link);
        var pixels = Regex.Matches(sent, "<img src=\"http://127\\.0\\.0\\.1:5000/t/o/([^\"]+)\"");
        Assert.Single(pixels);
        Assert.Equal(TrackingKind.Open, signer.TryRead(pixels[0].Groups[1].Value)!.Kind);
        Assert.EndsWith("</body></html>", sent, StringComparison.Ordinal);
        Assert.True(sent.IndexOf("<img", StringComparison.Ordinal) < sent.IndexOf("</body>", StringComparison.Ordinal));

        // untracked sends and other channels go as they are; the same message always gives the same bytes
        var plain = message with { Track = false };
        Assert.Same(plain, rewriter.Apply(plain));
        Assert.Equal(sent, rewriter.Apply(message).Content["body"]);
    }
}
