namespace Journeys.Local.Tests.Server;

/// <summary>Issue 10, hardening 1: a second server on the same data file refuses to start, saying why.</summary>
public sealed class DataFileLockTests
{
    [Fact]
    public async Task A_second_server_on_the_same_data_file_refuses_to_start_with_a_clear_message()
    {
        var first = await ServerFixture.StartAsync(journeys: [TestJourneys.File("instant", TestJourneys.Instant)]);
        try
        {
            var e = await Assert.ThrowsAsync<IOException>(() => ServerFixture.StartAsync(folder: first.Folder, journeys: [TestJourneys.File("instant", TestJourneys.Instant)]));
            Assert.Contains("in use by another journeys server", e.Message, StringComparison.Ordinal);
            Assert.Contains("journeys.db", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await first.DisposeAsync();
        }
        // released with the server: the next one starts
        var again = await ServerFixture.StartAsync(folder: first.Folder, journeys: [TestJourneys.File("instant", TestJourneys.Instant)]);
        await again.DisposeAsync();
        again.DeleteFolder();
    }
}
