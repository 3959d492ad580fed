using Journeys.Core.Runtime;
using Journeys.Core.Tests.Stores;

namespace Journeys.Functions.Tests;

/// <summary>The Table Storage ports pass the store contract every implementation passes (on Azurite).</summary>
public sealed class TableStoreConformanceTests : StoreConformance
{
    protected override RuntimeStores CreateStores() => new Azurite().Tables.Stores();
}
