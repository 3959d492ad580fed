using Azure.Data.Tables;
using Journeys.Core.Orchestration;
using Journeys.Functions.Ingestion;
using Journeys.Functions.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace Journeys.Functions.Tests;

/// <summary>The Event Hubs function: every event on its own, failures dead-lettered, the batch goes on.</summary>
public sealed class EventIngestionTests
{
    private const string Journey = """
        {"id":"cart","entry":{"event":"CartAbandoned"},"start":"wait",
         "steps":{"wait":{"type":"delay","for":"PT1H"}}}
        """;

    [Fact]
    public async Task Bad_events_are_dead_lettered_with_their_reason_and_the_others_go_on()
    {
        var azurite = new Azurite();
        var catalog = new DefinitionCatalog(azurite.Tables, TimeProvider.System);
        Assert.NotNull(catalog.Publish("cart", Journey).Version);
        var durable = new Mock<DurableTaskClient>(MockBehavior.Loose, "test");
        var scheduled = new HashSet<string>();
        durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TaskName _, object? _, StartOrchestrationOptions? o, CancellationToken _) => { scheduled.Add(o!.InstanceId!); return o.InstanceId!; });
        // the repeat of m1 finds the instance: it is woken, not scheduled again
        durable.Setup(c => c.GetInstanceAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, bool _, CancellationToken _) => scheduled.Contains(id) ? new OrchestrationMetadata(ActivityNames.Orchestrator, id) { RuntimeStatus = OrchestrationRuntimeStatus.Running } : null);
        var ingestion = new EventIngestion(
            new IngestorFactory(catalog, new TableUserPartition(azurite.Tables), new TableTraceOutput(azurite.Tables), new TableEntryCounters(azurite.Tables)),
            new DeadLetters(azurite.Tables, TimeProvider.System),
            TimeProvider.System,
            NullLogger<EventIngestion>.Instance);

        var counts = await ingestion.IngestAsync([
            """{"type":"track","messageId":"m1","userId":"u1","event":"CartAbandoned","timestamp":"2026-12-01T10:00:00Z"}""",
            """{"type":"track","messageId":"m2","userId":"u1","timestamp":"2026-12-01T10:00:00Z"}""",
            "not json",
            """{"type":"track","messageId":"m1","userId":"u1","event":"CartAbandoned","timestamp":"2026-12-01T10:00:00Z"}""",
            """{"type":"identify","messageId":"m3","userId":"u2","traits":{"email":"b@example.com"},"timestamp":"2026-12-01T10:00:00Z"}""",
        ], durable.Object, CancellationToken.None);

        Assert.Equal(2, counts.Accepted);
        Assert.Equal(1, counts.Duplicates);
        Assert.Equal(2, counts.DeadLettered);
        var dead = azurite.Tables.DeadLetters.Query<TableEntity>().ToList();
        Assert.Equal(2, dead.Count);
        Assert.Contains(dead, d => d.GetString("Body") == "not json");
        Assert.All(dead, d => Assert.False(string.IsNullOrEmpty(d.GetString("Reason"))));
        durable.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == ActivityNames.Orchestrator), It.IsAny<object?>(),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == "cart:u1:1"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task An_event_whose_processing_fails_is_dead_lettered_without_stopping_the_batch()
    {
        var azurite = new Azurite();
        var catalog = new DefinitionCatalog(azurite.Tables, TimeProvider.System);
        catalog.Publish("cart", Journey);
        var durable = new Mock<DurableTaskClient>(MockBehavior.Loose, "test");
        durable.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("task hub unavailable"));
        durable.Setup(c => c.GetInstancesAsync(It.IsAny<string>(), It.IsAny<bool>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((OrchestrationMetadata?)null);
        var ingestion = new EventIngestion(
            new IngestorFactory(catalog, new TableUserPartition(azurite.Tables), new TableTraceOutput(azurite.Tables), new TableEntryCounters(azurite.Tables)),
            new DeadLetters(azurite.Tables, TimeProvider.System), TimeProvider.System, NullLogger<EventIngestion>.Instance);

        var counts = await ingestion.IngestAsync([
            """{"type":"track","messageId":"m1","userId":"u1","event":"CartAbandoned","timestamp":"2026-12-01T10:00:00Z"}""",
            """{"type":"track","messageId":"m2","userId":"u2","event":"PageViewed","timestamp":"2026-12-01T10:00:00Z"}""",
        ], durable.Object, CancellationToken.None);

        Assert.Equal(1, counts.DeadLettered);
        Assert.Equal(1, counts.Accepted);
        Assert.Equal("failed: InvalidOperationException", Assert.Single(azurite.Tables.DeadLetters.Query<TableEntity>()).GetString("Reason"));
    }
}
