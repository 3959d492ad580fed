namespace Journeys.Functions.Tests.RealEngine;

/// <summary>Which Durable backend runs behind the test host's gRPC sidecar.</summary>
public enum Backend
{
    /// <summary>The in-process test host's in-memory orchestration service.</summary>
    InMemory,

    /// <summary>Durable's Azure Storage provider (the production default) on Azurite, a task hub per test.</summary>
    AzureStorage,
}
