using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.LanguageV2;

/// <summary>DESIGN §9 keyed enrollments: once per value of the entry event's key property.</summary>
public sealed class KeyedEntryTests
{
    private const string Journey = """
        {"id":"cart","entry":{"event":"CartAbandoned","key":"cartId"},
         "goal":{"event":"Purchase"},"exit":{"events":[{"event":"Emptied"}]},
         "start":"w","steps":{
           "w":{"type":"waitFor","event":"Clicked","timeout":"P1D","onEvent":"hook","onTimeout":"hook"},
           "hook":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{event.properties.cartId}}"}} } }
        """;

    [Fact]
    public void Each_key_value_enrolls_on_its_own_with_an_escaped_id()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "CartAbandoned", "10:00", new { cartId = "c:1/a" });
        s.Track("u1", "CartAbandoned", "10:05", new { cartId = "c2" });
        s.Track("u1", "CartAbandoned", "10:10", new { cartId = "c2" }); // same cart: active there
        s.AssertTrace("10:00 u1 cart entered", "10:05 u1 cart entered", "10:10 u1 cart rejected active");
        Assert.Equal(["cart:u1:c%3A1%2Fa:1", "cart:u1:c2:1"], s.Stores.Enrollments.ActiveFor("u1").Select(e => e.EnrollmentId));
    }

    [Fact]
    public void An_event_with_another_key_does_not_reach_the_enrollment_one_without_the_key_reaches_all()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "CartAbandoned", "10:00", new { cartId = "c1" });
        s.Track("u1", "CartAbandoned", "10:05", new { cartId = "c2" });
        s.Track("u1", "Purchase", "11:00", new { cartId = "c1" });
        s.Track("u1", "Clicked", "11:30", new { cartId = "c1" }); // c1 is gone; c2 must not take it
        s.AssertTrace("10:00 u1 cart entered", "10:05 u1 cart entered", "11:00 u1 cart converted", "11:00 u1 cart exited goal");
        s.Track("u1", "Emptied", "12:00");
        s.AssertTrace("10:00 u1 cart entered", "10:05 u1 cart entered", "11:00 u1 cart converted", "11:00 u1 cart exited goal",
            "12:00 u1 cart exited event");
    }

    [Fact]
    public void Reentry_counts_per_key()
    {
        var s = Scenario.Create(Journey.Replace("\"goal\"", "\"reentry\":{\"mode\":\"multiple\",\"lock\":\"P7D\"},\"goal\""));
        s.Track("u1", "CartAbandoned", "10:00", new { cartId = "c1" });
        s.Track("u1", "Purchase", "10:30", new { cartId = "c1" });
        s.Track("u1", "CartAbandoned", "11:00", new { cartId = "c1" }); // locked for c1
        s.Track("u1", "CartAbandoned", "11:00", new { cartId = "c2" }); // c2 is new
        s.AssertTraceOf(["entered", "rejected"], "10:00 u1 cart entered", "11:00 u1 cart rejected lock", "11:00 u1 cart entered");
        s.Track("u1", "CartAbandoned", "+8d 11:00", new { cartId = "c1" });
        Assert.Contains(s.Stores.Enrollments.ActiveFor("u1"), e => e.EnrollmentId == "cart:u1:c1:2");
    }

    [Fact]
    public void A_number_key_and_a_missing_key()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "CartAbandoned", "10:00", new { cartId = 42 });
        s.Track("u1", "CartAbandoned", "10:01");
        Assert.Equal(["cart:u1:42:1", "cart:u1:1"], s.Stores.Enrollments.ActiveFor("u1").Select(e => e.EnrollmentId));
    }

    [Fact]
    public void Ten_thousand_open_keys_leave_an_unrelated_event_untouched()
    {
        var s = Scenario.Create(Journey);
        for (var i = 0; i < 10_000; i++)
        {
            s.Track("u1", "CartAbandoned", "10:00", new { cartId = $"c{i}" });
        }
        Assert.Equal(10_000, s.Stores.Enrollments.ActiveFor("u1").Count);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 1_000; i++)
        {
            s.Track("u1", "PageViewed", "10:30");
        }
        // no enrollment can act on PageViewed: the runtime does not even read them (a scan would be ~10^7 checks)
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"1,000 unrelated events took {watch.ElapsedMilliseconds} ms");
    }
}

/// <summary>DESIGN §9: an engagement event whose properties carry <c>enrollment</c> reaches only that enrollment.</summary>
public sealed class EnrollmentTargetedEventTests
{
    private const string Journey = """
        {"id":"j","entry":{"event":"Go","key":"orderId"},"start":"w","steps":{
          "w":{"type":"waitFor","event":"Email Opened","timeout":"P1D","onTimeout":"late"},
          "late":{"type":"exit"} } }
        """;

    [Fact]
    public void Only_the_named_enrollment_takes_the_event()
    {
        var s = Scenario.Create(Journey);
        s.Track("u1", "Go", "10:00", new { orderId = "o1" });
        s.Track("u1", "Go", "10:01", new { orderId = "o2" });
        s.Track("u1", "Email Opened", "11:00", new { enrollment = "j:u1:o2:1", step = "x" });
        s.AssertTrace("10:00 u1 j entered", "10:01 u1 j entered", "11:00 u1 j path w event", "11:00 u1 j completed");
        Assert.Equal(["j:u1:o1:1"], s.Stores.Enrollments.ActiveFor("u1").Select(e => e.EnrollmentId));
    }
}

public sealed class KeyedStateJsonTests
{
    [Fact]
    public void The_key_survives_the_state_json_that_stores_and_ContinueAsNew_use()
    {
        var s = Scenario.Create("""{"id":"j","entry":{"event":"Go","key":"k"},"start":"d","steps":{"d":{"type":"delay","for":"P1D"}}}""");
        s.Track("u1", "Go", "10:00", new { k = "a:b" });
        var state = Assert.Single(s.Stores.Enrollments.ActiveFor("u1"));
        var back = Journeys.Core.Engine.EnrollmentStateJson.Deserialize(Journeys.Core.Engine.EnrollmentStateJson.Serialize(state));
        Assert.Equal("a:b", back.Key);
        Assert.Equal("j:u1:a%3Ab:1", back.EnrollmentId);
    }
}
