using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Stores;

public sealed class InMemoryStoreConformanceTests : StoreConformance
{
    protected override RuntimeStores CreateStores() => InMemoryStores.Create();
}
