using System.Net;
using System.Text;

namespace Journeys.Local.Tests.Server;

/// <summary>
/// Kill -9 under load, again and again: every event acknowledged with a 202 is carried through its
/// journey (both messages of <see cref="TestJourneys.TwoSteps"/>, the second after a durable timer),
/// and no message is written to the outbox twice, wherever the kills land.
/// </summary>
[Collection(ServerProcess.Collection)]
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("journeys-crash-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Nothing_acknowledged_is_lost_and_nothing_is_delivered_twice_across_kills()
    {
        var definitions = Path.Combine(_folder, "definitions");
        Directory.CreateDirectory(definitions);
        File.WriteAllText(Path.Combine(definitions, "two-steps.journey.json"), TestJourneys.TwoSteps);
        var data = Path.Combine(_folder, "data", "journeys.db");
        var outbox = Path.Combine(_folder, "data", "outbox.jsonl");
        var acknowledged = new HashSet<string>();
        var attempted = new HashSet<string>();
        var random = new Random(20261122);
        var next = 0;

        for (var round = 0; round < 5; round++)
        {
            using var server = await ServerProcess.StartAsync(data, definitions);
            using var http = new HttpClient { BaseAddress = new Uri(server.Url), Timeout = TimeSpan.FromSeconds(10) };
            var killAt = DateTime.UtcNow.AddMilliseconds(random.Next(300, 1200));
            var senders = Enumerable.Range(0, 3).Select(async _ =>
            {
                while (DateTime.UtcNow < killAt)
                {
                    var users = new List<string>();
                    var body = new StringBuilder();
                    for (var i = 0; i < 20; i++)
                    {
                        var user = $"u{Interlocked.Increment(ref next)}";
                        users.Add(user);
                        body.Append(ServerFixture.Identify($"{user}-id", user, new { email = $"{user}@example.com" })).Append('\n');
                        body.Append(ServerFixture.Track($"{user}-go", user, "Go")).Append('\n');
                    }
                    lock (attempted) attempted.UnionWith(users);
                    try
                    {
                        using var response = await http.PostAsync("/v1/events", new StringContent(body.ToString(), Encoding.UTF8, "application/x-ndjson"));
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            lock (acknowledged) acknowledged.UnionWith(users);
                        }
                    }
                    catch (HttpRequestException) { return; }
                    catch (TaskCanceledException) { return; }
                }
            }).ToList();
            await Task.Delay(killAt - DateTime.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
            server.Kill(); // mid-request, mid-commit or mid-delivery: wherever it lands
            await Task.WhenAll(senders);
        }

        // a last life, long enough for every timer to fire and the outbox to drain
        using (var last = await ServerProcess.StartAsync(data, definitions))
        {
            var until = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < until && Delivered(outbox).Count(l => l.Step == "second") < acknowledged.Count)
            {
                await Task.Delay(200);
            }
            await Task.Delay(1500); // anything still to come would be a duplicate or a stray
            last.Kill();
        }

        var lines = Delivered(outbox);
        Assert.True(acknowledged.Count > 100, $"the load reached only {acknowledged.Count} acknowledged users");
        Assert.Equal(lines.Count, lines.Select(l => l.Key).Distinct().Count());
        var byUser = lines.GroupBy(l => l.User).ToDictionary(g => g.Key, g => g.Select(l => l.Step).Order(StringComparer.Ordinal).ToList());
        foreach (var user in acknowledged)
        {
            Assert.True(byUser.TryGetValue(user, out var steps), $"{user} was acknowledged but got nothing");
            Assert.Equal(["first", "second"], steps);
        }
        // events sent when a kill landed may or may not have been taken, but only ever whole and once
        Assert.All(byUser.Keys, user => Assert.Contains(user, attempted));
    }

    private static List<(string User, string Step, string Key)> Delivered(string outbox) =>
        ServerFixture.ReadLines(outbox)
            .Select(l => (l.GetProperty("user").GetString()!, l.GetProperty("step").GetString()!, l.GetProperty("idempotencyKey").GetString()!))
            .ToList();
}
