using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Functions.Storage;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// <c>rateLimits</c> (DESIGN §10) on the real Durable engine: the orchestrator counts each send in its channel's
/// minute row (<see cref="TableRateSlots"/>), and a send whose minute is full waits for a later one (trace
/// <c>deferred</c>, a durable timer). The ingestion's clock is fixed in the past, so the deferred minutes are due at
/// once on the real clock and the test does not wait for them.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class RateLimitTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly DateTimeOffset Ten = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private const string Welcome = """
        {"id":"welcome","entry":{"event":"Go"},"start":"mail",
         "steps":{"mail":{"type":"send","channel":"email","content":{"subject":"Hi","body":"Hello"}}}}
        """;

    private static EngineOptions PerMinute(int count) => new() { RateLimits = new Dictionary<Channel, int> { [Channel.Email] = count } };

    private static string[] Enroll(IEnumerable<string> users) => [.. users.SelectMany(u => new[]
    {
        $$"""{"type":"identify","messageId":"i-{{u}}","userId":"{{u}}","traits":{"email":"{{u}}@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""",
        $$"""{"type":"track","messageId":"g-{{u}}","userId":"{{u}}","event":"Go","timestamp":"2026-12-01T10:00:01Z"}""",
    })];

    private static List<JsonElement> Records(RealEngineHost host, string user) =>
        [.. host.TraceLines(user).Select(l => JsonDocument.Parse(l).RootElement)];

    private static DateTimeOffset At(JsonElement record, string field = "at") =>
        DateTimeOffset.Parse(record.GetProperty(field).GetString()!, CultureInfo.InvariantCulture);

    private static long Counted(RealEngineHost host, DateTimeOffset minute) =>
        host.Azurite.Tables.Counters.GetEntityIfExists<TableEntity>(TableRateSlots.Partition(Channel.Email), TableRateSlots.MinuteRow(minute)) is { HasValue: true } row
            ? row.Value!.GetInt64("Count") ?? 0
            : 0;

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task More_users_at_once_than_a_minute_allows_are_sent_in_later_minutes_each_once(Backend backend)
    {
        var clock = new SettableClock { Fixed = Ten };
        await using var host = await RealEngineHost.StartAsync(backend, [("welcome.journey.json", Welcome)], clock: clock, options: PerMinute(3));
        var users = Enumerable.Range(0, 8).Select(i => $"u{i}").ToList();

        await host.IngestAsync(Enroll(users)); // all processed at 10:00
        foreach (var user in users)
        {
            await host.WaitForCompletionAsync($"welcome:{user}:1", Limit);
        }

        var sentAt = new List<DateTimeOffset>();
        foreach (var user in users)
        {
            var records = Records(host, user);
            var sent = Assert.Single(records, r => r.GetProperty("kind").GetString() == "sent");
            sentAt.Add(At(sent));
            if (records.SingleOrDefault(r => r.GetProperty("kind").GetString() == "deferred") is { ValueKind: JsonValueKind.Object } deferred)
            {
                Assert.Equal(At(deferred, "until"), At(sent)); // it went when its slot came, not before
                Assert.True(At(sent) >= Ten.AddMinutes(1));
            }
            else
            {
                Assert.Equal(Ten.AddSeconds(0), RateMinuteOf(At(sent))); // not deferred: sent in the first minute
            }
        }
        // at most 3 a minute, in the minutes after the first as needed: 3, 3, 2
        Assert.Equal([3, 3, 2], sentAt.GroupBy(RateMinuteOf).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal([3L, 3L, 2L], Enumerable.Range(0, 3).Select(m => Counted(host, Ten.AddMinutes(m))));
        Assert.Equal(users.Select(u => $"{u}@example.com").Order(), host.Delivery.Delivered.Select(m => m.To).Order()); // nobody twice, nobody lost
    }

    [Fact]
    public async Task A_take_retried_after_its_work_takes_no_second_slot()
    {
        var clock = new SettableClock { Fixed = Ten };
        await using var host = await RealEngineHost.StartAsync(Backend.InMemory, [("welcome.journey.json", Welcome)], clock: clock, options: PerMinute(1));
        host.FailRateTakesAfterTheirWork(1);

        await host.IngestAsync(Enroll(["ann"]));
        await host.WaitForCompletionAsync("welcome:ann:1", Limit);
        await host.IngestAsync(Enroll(["bob"]));
        await host.WaitForCompletionAsync("welcome:bob:1", Limit);

        Assert.Equal(3, host.RateTakeRuns); // ann's twice (the retry), bob's once
        // ann's retry found her take: she went at 10:00 on the one slot, which left none for bob then
        Assert.DoesNotContain(Records(host, "ann"), r => r.GetProperty("kind").GetString() == "deferred");
        Assert.Equal(Ten, RateMinuteOf(At(Records(host, "ann").Single(r => r.GetProperty("kind").GetString() == "sent"))));
        Assert.Equal(Ten.AddMinutes(1), At(Records(host, "bob").Single(r => r.GetProperty("kind").GetString() == "deferred"), "until"));
        Assert.Equal([1L, 1L], new[] { Counted(host, Ten), Counted(host, Ten.AddMinutes(1)) });
        Assert.Equal(2, host.Delivery.Delivered.Count);
    }

    private static DateTimeOffset RateMinuteOf(DateTimeOffset at) => Core.Orchestration.RateMinutes.Of(at);
}
