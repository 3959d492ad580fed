using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Tests.Sdk;

/// <summary>One request as the SDK sent it: its path, encoding, its calls' messageIds and users, and what it was answered.</summary>
public sealed record SentRequest(string Path, string? ContentEncoding, string? Authorization, IReadOnlyList<string> MessageIds, IReadOnlySet<string> Users, int Status);

/// <summary>
/// A proxy in front of serve that sees what the SDKs send and can answer 503 in serve's place, so retries are
/// tested without a fault hook in the product.
/// </summary>
public sealed class FrontProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _serve;
    private int _failures;

    private FrontProxy(WebApplication app, HttpClient serve)
    {
        _app = app;
        _serve = serve;
    }

    public ConcurrentQueue<SentRequest> Requests { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>The next <paramref name="count"/> requests are answered 503 without reaching serve.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    /// <summary>The requests that carried calls of <paramref name="user"/>, in order.</summary>
    public List<SentRequest> Carrying(string user) => Requests.Where(r => r.Users.Contains(user)).ToList();

    public static async Task<FrontProxy> StartAsync(string serveUrl)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var proxy = new FrontProxy(app, new HttpClient { BaseAddress = new Uri(serveUrl), Timeout = TimeSpan.FromSeconds(30) });
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var encoding = context.Request.Headers.ContentEncoding.FirstOrDefault();
        var authorization = context.Request.Headers.Authorization.FirstOrDefault();
        var (ids, users) = Calls(encoding == "gzip" ? Gunzip(body) : body);
        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            Requests.Enqueue(new SentRequest(context.Request.Path, encoding, authorization, ids, users, 503));
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString) { Content = new ByteArrayContent(body) };
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray())) forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        using var response = await _serve.SendAsync(forward);
        Requests.Enqueue(new SentRequest(context.Request.Path, encoding, authorization, ids, users, (int)response.StatusCode));
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        await context.Response.Body.WriteAsync(await response.Content.ReadAsByteArrayAsync());
    }

    private static byte[] Gunzip(byte[] body)
    {
        using var zip = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        zip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>The messageIds and users (userId, else anonymousId) of a <c>/v1/batch</c> body's calls.</summary>
    private static (List<string> MessageIds, HashSet<string> Users) Calls(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var calls = doc.RootElement.TryGetProperty("batch", out var batch) ? batch.EnumerateArray().ToList() : [];
        return (
            calls.Select(c => c.GetProperty("messageId").GetString()!).ToList(),
            calls.Select(c => (c.TryGetProperty("userId", out var u) ? u : c.GetProperty("anonymousId")).GetString()!).ToHashSet(StringComparer.Ordinal));
    }

    public async ValueTask DisposeAsync()
    {
        _serve.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
