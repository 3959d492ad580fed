namespace Journeys.Local.Tests.Server;

/// <summary>Small journeys for server tests.</summary>
internal static class TestJourneys
{
    /// <summary>On <c>Go</c>: an email now to the profile's address.</summary>
    public const string Instant = """
        {"id":"instant","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"hello","steps":{
          "hello":{"type":"send","channel":"email","content":{"subject":"Hi {{profile.firstName}}","body":"Hello"}}}}
        """;

    /// <summary>On <c>Go</c>: an email now, one second's wait, a second email.</summary>
    public const string TwoSteps = """
        {"id":"two-steps","entry":{"event":"Go"},"reentry":{"mode":"multiple"},"start":"first","steps":{
          "first":{"type":"send","channel":"email","content":{"subject":"one","body":"1"},"next":"wait"},
          "wait":{"type":"delay","for":"PT1S","next":"second"},
          "second":{"type":"send","channel":"email","content":{"subject":"two","body":"2"}}}}
        """;

    /// <summary>On <c>Go</c>: wait a day (stays active).</summary>
    public const string Waits = """
        {"id":"waits","entry":{"event":"Go"},"start":"wait","steps":{"wait":{"type":"delay","for":"P1D"}}}
        """;

    public static (string, string) File(string id, string json) => ($"{id}.journey.json", json);
}
