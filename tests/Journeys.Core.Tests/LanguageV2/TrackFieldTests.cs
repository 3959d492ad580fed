using Journeys.Core.Definitions;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Definitions;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>A send's <c>track</c> (DESIGN §9 built-in tracking): read, validated, and carried on the e-mail it sends.</summary>
public sealed class TrackFieldTests
{
    private static LoadResult Step(string step) => DefinitionKit.LoadJourney(DefinitionKit.Journey("""{"a":""" + step + "}"));

    [Theory]
    [InlineData("""{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"track":"yes"}""")]
    [InlineData("""{"type":"send","channel":"sms","content":{"text":"t"},"track":true}""")]
    [InlineData("""{"type":"send","channel":"webhook","content":{"url":"u"},"track":true}""")]
    public void Track_must_be_a_boolean_on_a_send_that_can_be_an_email(string step) =>
        DefinitionKit.AssertProblem(Step(step), "$.steps.a.track");

    [Theory]
    [InlineData("""{"type":"send","channel":"email","content":{"subject":"s","body":"b"},"track":true}""")]
    [InlineData("""{"type":"send","channel":"sms","content":{"text":"t"},"track":false}""")]
    [InlineData("""{"type":"send","channel":"preferred","content":{"sms":{"text":"t"},"email":{"subject":"s","body":"b"}},"track":true}""")]
    public void Track_is_valid_where_it_can_apply(string step) => DefinitionKit.AssertValid(Step(step));

    [Theory]
    [InlineData("email", true)]
    [InlineData("sms", false)]
    public void A_tracked_preferred_send_marks_only_the_email_it_sends(string preferred, bool tracked)
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"a","steps":{
              "a":{"type":"send","channel":"preferred","track":true,"content":{"sms":{"text":"t"},"email":{"subject":"s","body":"b"}}}}}
            """);
        s.Identify("u", "2026-12-01T09:00:00Z", new { email = "a@example.com", phone = "+15550100", consent = new { sms = true }, preferredChannel = preferred });
        s.Track("u", "Go", "2026-12-01T09:00:01Z");
        var sent = s.SingleSend("a");
        Assert.Equal(tracked, sent.Track);
        Assert.Equal(tracked, OutboxLineWriter.Format(sent).Contains("\"track\":true", StringComparison.Ordinal));
    }
}
