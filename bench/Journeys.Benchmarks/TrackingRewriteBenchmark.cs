using BenchmarkDotNet.Attributes;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Hosting.Tracking;

namespace Journeys.Benchmarks;

/// <summary>
/// What built-in tracking adds to delivering one tracked e-mail: a 2 KB HTML body with four links (three
/// tracked, one mailto) rewritten and signed (five HMAC tokens), and one token read back as a hit does.
/// </summary>
[MemoryDiagnoser]
[GcConcurrent(false)]
public class TrackingRewriteBenchmark
{
    private readonly TrackingSigner _signer = new("benchmark-secret-0123456789abcdef");
    private TrackingRewriter _rewriter = null!;
    private SendMessage _message = null!;
    private string _token = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rewriter = new TrackingRewriter(_signer, () => "https://journeys.example.com");
        var body = "<html><body><h1>Still thinking it over, Beth?</h1>" + string.Concat(Enumerable.Repeat("<p>Your cart is waiting: the rain jacket in blue, size M. </p>", 24))
            + """<a href="https://shop.example/cart?id=7&amp;utm_source=journeys">Back to your cart</a> <a href="https://shop.example/jackets">More jackets</a> """
            + """<a href="https://shop.example/help">Help</a> <a href="mailto:help@shop.example">Write to us</a></body></html>""";
        _message = new SendMessage(DateTimeOffset.UnixEpoch, "abandoned-cart:u-1:c-7:1", "u-1", "abandoned-cart", "remind", Channel.Email, "beth@example.com",
            new Dictionary<string, string> { ["subject"] = "Forgot something?", ["body"] = body }, new Dictionary<string, string>(), "abandoned-cart:u-1:c-7:1:remind:1") { Track = true };
        _token = _signer.Sign(new TrackingToken(TrackingKind.Click, "abandoned-cart", "u-1", "abandoned-cart:u-1:c-7:1", "remind", "abandoned-cart:u-1:c-7:1:remind:1", 0, TrackingSigner.UrlHash("https://shop.example/jackets")));
    }

    [Benchmark]
    public SendMessage Rewrite() => _rewriter.Apply(_message);

    [Benchmark]
    public TrackingToken? ReadToken() => _signer.TryRead(_token);
}
