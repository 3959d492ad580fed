using Journeys.Core.Audience;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Stores;

/// <summary>The in-memory profile store keeps its user ids in order across reads, merging in the users added between them.</summary>
public sealed class ProfileOrderTests
{
    [Fact]
    public void User_ids_stay_in_ordinal_order_as_users_arrive_between_reads()
    {
        var profiles = InMemoryStores.ForReplay().Profiles;
        var expected = new SortedSet<string>(StringComparer.Ordinal);
        var random = new Random(5);
        for (var round = 0; round < 50; round++)
        {
            for (var i = random.Next(0, 40); i > 0; i--)
            {
                var id = $"u-{random.Next(500)}";
                // a second save of a user (an identify, an update step) must not list them twice
                profiles.Save(Profile.Empty(id));
                expected.Add(id);
            }
            Assert.Equal(expected, profiles.UserIds());
        }
    }
}
