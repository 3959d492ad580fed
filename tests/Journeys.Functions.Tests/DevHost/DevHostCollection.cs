namespace Journeys.Functions.Tests.DevHosting;

/// <summary>The dev host tests one at a time: each runs a whole Durable worker on the machine's two cores.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DevHostCollection
{
    public const string Name = "dev host";
}
