namespace Journeys.Functions.Tests.RealEngine;

/// <summary>The real-engine tests run one at a time: each hosts a Durable engine, and the machine's cores are shared.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealEngineCollection
{
    public const string Name = "real Durable engine";
}
