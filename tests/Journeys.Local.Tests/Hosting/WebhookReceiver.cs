using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Journeys.Local.Tests.Hosting;

/// <summary>A real HTTP receiver on 127.0.0.1: answers each call with the next scripted status and headers, and records what came.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Queue<Answer> _answers;

    public WebhookReceiver(params Answer[] answers)
    {
        _answers = new Queue<Answer>(answers);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Map("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            Answer answer;
            lock (_answers)
            {
                Received.Add(new Call(context.Request.Method, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
                answer = _answers.Count > 0 ? _answers.Dequeue() : new Answer(200);
            }
            if (answer.Delay is { } delay) await Task.Delay(delay);
            if (answer.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter;
            context.Response.StatusCode = answer.Status;
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Url = new Uri(_app.Urls.First() + "/hook");
    }

    public Uri Url { get; }

    public List<Call> Received { get; } = [];

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Answer(int Status, string? RetryAfter = null, TimeSpan? Delay = null);

    public sealed record Call(string Method, IReadOnlyDictionary<string, string> Headers, string Body);
}
