using System.Net;
using System.Text;

namespace Journeys.Local.Tests.Server;

/// <summary>Issue 10, hardening 6: routing's 404 and 405 answer <c>{"error": ...}</c> like every other error.</summary>
public sealed class ErrorShapeTests
{
    [Fact]
    public async Task Unknown_routes_and_wrong_methods_answer_a_json_error()
    {
        var server = await ServerFixture.StartAsync(journeys: [TestJourneys.File("instant", TestJourneys.Instant)]);
        try
        {
            using var missing = await server.Http.GetAsync("/v1/nothing-here");
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("/v1/nothing-here", (await server.JsonAsync(missing)).GetProperty("error").GetString(), StringComparison.Ordinal);
            using var wrong = await server.Http.PutAsync("/v1/batch", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
            Assert.Contains("PUT", (await server.JsonAsync(wrong)).GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
            server.DeleteFolder();
        }
    }
}
