using System.Net;
using System.Text;
using System.Text.Json;

namespace Journeys.Functions.Tests.DevHosting;

/// <summary>
/// The dev host end to end as a child process on Azurite (the real Durable Task worker and Durable's Azure
/// Storage backend): events in over HTTP, enrollments through a timer to the outbox file; killed with -9 while
/// enrollments wait and started again on the same storage; the same batch twice.
/// </summary>
[Collection(DevHostCollection.Name)]
public sealed class DevHostTests
{
    private static string Journey(string wait) => """
        {"id":"ping","name":"Ping","entry":{"event":"Ping"},"reentry":{"mode":"multiple"},"start":"wait",
         "steps":{"wait":{"type":"delay","for":"WAIT","next":"hello"},
                  "hello":{"type":"send","channel":"email","content":{"subject":"Hi {{profile.firstName}}","body":"<p>pong</p>"}}}}
        """.Replace("WAIT", wait, StringComparison.Ordinal);

    [Fact(Timeout = 240_000)]
    public async Task Events_enroll_users_whose_messages_reach_the_outbox_once_and_a_repeated_batch_changes_nothing()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        var run = DevHostRun.Create(Journey("PT2S"));
        await using var host = await DevHostProcess.StartAsync(run, timeout.Token);
        var batch = Events("a", 20);

        var first = await PostAsync(host, batch + """{"type":"track","messageId":"bad-1","userId":"x","timestamp":"2026-12-01T10:00:00Z"}""" + "\n", timeout.Token);
        Assert.Equal(40, first.GetProperty("accepted").GetInt32());
        Assert.Equal(0, first.GetProperty("duplicates").GetInt32());
        var rejected = Assert.Single(first.GetProperty("rejected").EnumerateArray());
        Assert.Equal(41, rejected.GetProperty("index").GetInt32()); // an NDJSON rejection is named by its line number, as on serve
        Assert.Equal("bad-1", rejected.GetProperty("messageId").GetString());

        await host.WaitForAsync(() => CountAsync(host, "completed", timeout.Token), 20, timeout.Token);
        var again = await PostAsync(host, batch, timeout.Token);
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(40, again.GetProperty("duplicates").GetInt32());

        await Task.Delay(TimeSpan.FromSeconds(4), timeout.Token); // longer than the journey's wait: a repeat would show by now
        Assert.Equal(20, await CountAsync(host, "entered", timeout.Token));
        Assert.Equal(20, await CountAsync(host, "completed", timeout.Token));
        var keys = run.OutboxKeys();
        Assert.Equal(20, keys.Count);
        Assert.Equal(20, keys.Distinct().Count());
    }

    /// <remarks>
    /// 100 users in CI; <c>JOURNEYS_DEVHOST_KILL_USERS=1000</c> runs the measurement of docs/performance.md (a
    /// multiple of 20, at most 2,000).
    /// </remarks>
    [Fact(Timeout = 1_500_000)]
    public async Task Killed_with_enrollments_waiting_and_started_again_it_finishes_every_one_and_sends_nothing_twice()
    {
        var users = int.TryParse(Environment.GetEnvironmentVariable("JOURNEYS_DEVHOST_KILL_USERS"), out var asked) && asked is >= 20 and <= 2000
            ? asked / 20 * 20
            : 100;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(280, 120 + 0.6 * users)));
        // long enough that every user is in before the first timer fires: the kill finds them all waiting
        var run = DevHostRun.Create(Journey($"PT{Math.Max(6, users / 10)}S"));
        await using (var host = await DevHostProcess.StartAsync(run, timeout.Token))
        {
            // in requests of 20 users, as an app's SDK batches them
            for (var b = 0; b < users / 20; b++)
            {
                var answer = await PostAsync(host, Events($"k{b}", 20), timeout.Token);
                Assert.Equal(40, answer.GetProperty("accepted").GetInt32());
            }
            // kill -9 once the first timers have fired and sent, while the others still wait on theirs
            while (run.OutboxKeys().Count < 5)
            {
                await Task.Delay(20, timeout.Token);
            }
            host.Kill();
        }
        var beforeRestart = run.OutboxKeys().Count;

        await using (var host = await DevHostProcess.StartAsync(run, timeout.Token))
        {
            // events keep arriving after the restart
            var more = await PostAsync(host, Events("r", 10), timeout.Token);
            Assert.Equal(20, more.GetProperty("accepted").GetInt32());
            await host.WaitForAsync(() => CountAsync(host, "completed", timeout.Token), users + 10, timeout.Token, c => UnfinishedAsync(host, c));
            // "completed" is traced when the last decision is applied, before its send activity runs: a send the kill
            // interrupted comes back when its work item's visibility timeout (30 s) runs out
            while (run.OutboxKeys().Count < users + 10)
            {
                await Task.Delay(500, timeout.Token);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), timeout.Token); // a repeated send would land by now
            Assert.Equal(users + 10, await CountAsync(host, "entered", timeout.Token));
            Assert.Equal(users + 10, await CountAsync(host, "completed", timeout.Token));
        }
        var keys = run.OutboxKeys();
        Assert.True(beforeRestart < users, $"the kill came after every send ({beforeRestart}): nothing was waiting");
        Assert.Equal(users + 10, keys.Count);
        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    /// <summary>An identify (the email address) and a Ping per user, as NDJSON.</summary>
    private static string Events(string prefix, int users)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        for (var i = 0; i < users; i++)
        {
            var user = $"{prefix}-user-{i}";
            text.Append($$"""{"type":"identify","messageId":"{{user}}-id","userId":"{{user}}","traits":{"firstName":"U{{i}}","email":"{{user}}@example.com"},"timestamp":"{{now}}"}""").Append('\n');
            text.Append($$"""{"type":"track","messageId":"{{user}}-ping","userId":"{{user}}","event":"Ping","timestamp":"{{now}}"}""").Append('\n');
        }
        return text.ToString();
    }

    private static async Task<JsonElement> PostAsync(DevHostProcess host, string ndjson, CancellationToken cancellation)
    {
        using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        HttpResponseMessage response;
        try
        {
            response = await host.Http.PostAsync("v1/events", content, cancellation);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"POST /v1/events failed: {e.Message}\n{host.Output}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new InvalidOperationException($"POST /v1/events timed out\n{host.Output}", e);
        }
        using var _ = response;
        var body = await response.Content.ReadAsStringAsync(cancellation);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{response.StatusCode}: {body}\n{host.Output}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The users who entered the test journey and have not completed it, with the last record of each.</summary>
    private static async Task<string> UnfinishedAsync(DevHostProcess host, CancellationToken cancellation)
    {
        var byUser = (await host.TraceAsync("journey=ping", cancellation))
            .Select(l => (Line: l, Root: JsonDocument.Parse(l).RootElement))
            .GroupBy(r => r.Root.GetProperty("user").GetString()!)
            .Where(g => g.All(r => r.Root.GetProperty("kind").GetString() != "completed"))
            .Select(g => g.Last().Line)
            .ToList();
        return $"not completed ({byUser.Count}):\n" + string.Join("\n", byUser);
    }

    /// <summary>Trace records of one kind for the test journey, from the dev host's trace route.</summary>
    private static async Task<int> CountAsync(DevHostProcess host, string kind, CancellationToken cancellation) =>
        (await host.TraceAsync("journey=ping", cancellation)).Count(l => JsonDocument.Parse(l).RootElement.GetProperty("kind").GetString() == kind);
}
