#:package Azure.Messaging.EventHubs
#:property WarningsNotAsErrors=NU1603
// Sends a JSON-lines file of Segment-spec events to an Event Hub as an app would: one EventData per event,
// the user id as partition key (so one user's events stay in order), in batches.
// dotnet run tools/e2e/send-events.cs -- CONNECTION HUB FILE.jsonl
using System.Text.Json;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: send-events CONNECTION HUB FILE.jsonl");
    return 2;
}
await using var producer = new EventHubProducerClient(args[0], args[1]);
var sent = 0;
foreach (var byUser in File.ReadLines(args[2]).Where(l => l.Length > 0).GroupBy(UserOf))
{
    using var batch = await producer.CreateBatchAsync(new CreateBatchOptions { PartitionKey = byUser.Key });
    foreach (var line in byUser)
    {
        if (!batch.TryAdd(new EventData(BinaryData.FromString(line))))
        {
            throw new InvalidOperationException("an event does not fit in one batch");
        }
    }
    await producer.SendAsync(batch);
    sent += batch.Count;
}
Console.WriteLine($"sent {sent} events");
return 0;

static string UserOf(string line)
{
    using var doc = JsonDocument.Parse(line);
    return doc.RootElement.TryGetProperty("userId", out var id) ? id.GetString() ?? "" : "";
}
