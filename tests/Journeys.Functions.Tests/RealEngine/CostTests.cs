using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Journeys.Functions.Tests.RealEngine;

/// <summary>
/// What one enrollment costs in users-table requests on the real engine (DESIGN §8: the abandoned-cart sample
/// in at most 20). The sample's journey, keyed by cart, its hour and day scaled to seconds; Ann abandons a cart,
/// gets the reminder, buys, is thanked. Counted from her cart event to the orchestration's end, her purchase's ingestion included; Durable's
/// own storage (its queues, history and instances tables) is not in the count.
/// </summary>
[Collection(RealEngineCollection.Name)]
public sealed class CostTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData(Backend.InMemory)]
    [InlineData(Backend.AzureStorage)]
    public async Task One_abandoned_cart_enrollment_costs_at_most_twenty_users_table_requests(Backend backend)
    {
        var samples = Path.Combine(Repository.Root(), "samples");
        var journey = JsonNode.Parse(File.ReadAllText(Path.Combine(samples, "journeys", "abandoned-cart.journey.json")))!.AsObject();
        journey["steps"]!["wait"]!["for"] = "PT1S";
        journey["steps"]!["check"]!["timeout"] = "PT20S";
        var sources = Directory.EnumerateFiles(Path.Combine(samples, "segments"), "*.segment.json")
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .Append(("abandoned-cart.journey.json", journey.ToJsonString()));
        await using var host = await RealEngineHost.StartAsync(backend, sources);
        await host.IngestAsync("""{"type":"identify","messageId":"c1","userId":"ann","traits":{"firstName":"Ann","email":"ann@example.com","phone":"+15550100021","consent":{"sms":true}},"timestamp":"2026-12-01T10:00:00Z"}""");

        var before = host.Azurite.UsersRequests;
        await host.IngestAsync("""{"type":"track","messageId":"c2","userId":"ann","event":"CartAbandoned","properties":{"cartId":"c-1","cartValue":129.95,"firstItem":"Rain Jacket"},"timestamp":"2026-12-01T10:00:01Z"}""");
        await RealEngineHost.WaitUntilAsync(() => host.Delivery.Delivered.Count == 1, Limit, "the reminder");
        await host.IngestAsync("""{"type":"track","messageId":"c3","userId":"ann","event":"Purchase","properties":{"cartId":"c-1","total":129.95},"timestamp":"2026-12-01T10:00:05Z"}""");
        var done = await host.WaitForCompletionAsync("abandoned-cart:ann:c-1:1", Limit);
        var requests = host.Azurite.UsersRequests - before;
        output.WriteLine($"{backend}: one abandoned-cart enrollment (entry, reminder, purchase, thanks) = {requests} users-table requests");

        Assert.Equal("Completed", done.ReadOutputAs<string>());
        Assert.Equal(2, host.Delivery.Delivered.Count); // the reminder and the thanks
        Assert.InRange(requests, 1, 20);
    }
}
