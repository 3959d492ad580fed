using Journeys.Core.Runtime;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Runtime;

/// <summary>Entry forms, audience, window, reentry rules and their order (DESIGN §3, §4), through the runtime.</summary>
public sealed class EntryTests
{
    private const string Webhook = """{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{event.messageId}}"}}""";

    /// <summary>Entered on <c>Go</c>; waits a day (so it stays active) unless <paramref name="steps"/> says otherwise.</summary>
    private static string Journey(string extra = "", string entry = """{"event":"Go"}""", string? steps = null, string id = "j") => $$"""
        {"id":"{{id}}","entry":{{entry}},{{extra}}"start":"s","steps":{{steps ?? """{"s":{"type":"delay","for":"P1D"}}"""}}}
        """;

    private const string Instant = """{"s":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{event.messageId}}"}}}""";

    // ---------------------------------------------------------------- event entry

    [Fact]
    public void Event_entry_with_where_enrolls_only_matching_events()
    {
        var s = Scenario.Create(Journey(entry: """{"event":"CartAbandoned","where":{"property":"cartValue","gt":50}}""", steps: Instant,
            extra: """ "reentry":{"mode":"multiple"}, """));
        s.Track("u1", "CartAbandoned", "10:00", new { cartValue = 30 });
        s.Track("u1", "CartAbandoned", "11:00", new { cartValue = 80 });
        s.Track("u1", "Other", "12:00", new { cartValue = 80 });
        s.AssertTrace("11:00 u1 j entered", "11:00 u1 j sent s webhook", "11:00 u1 j completed");
        Assert.Equal("https://h.example/m-2", s.SingleSend().To);
    }

    [Fact]
    public void Identify_does_not_enter_an_event_journey()
    {
        var s = Scenario.Create(Journey(steps: Instant));
        s.Identify("u1", "10:00", new { email = "a@example.com" });
        s.AssertTrace();
    }

    // ---------------------------------------------------------------- segment entry (streaming)

    private const string Shoppers = """
        {"id":"shoppers","when":{"performed":"View","within":"P7D","count":{"gte":2}}}
        """;

    [Fact]
    public void Segment_entry_enters_when_membership_turns_true_with_that_event_as_entry_event()
    {
        var s = Scenario.Create(Journey(entry: """{"segment":"shoppers"}""", steps: Instant, extra: """ "reentry":{"mode":"multiple"}, """), Shoppers);
        s.Track("u1", "View", "10:00", messageId: "v1");
        s.Track("u1", "View", "11:00", messageId: "v2"); // now a member
        s.Track("u1", "View", "12:00", messageId: "v3"); // still a member: no new entry
        s.Track("u1", "Other", "13:00", messageId: "o1");
        s.AssertTrace("11:00 u1 j entered", "11:00 u1 j sent s webhook", "11:00 u1 j completed");
        Assert.Equal("https://h.example/v2", s.SingleSend().To);
    }

    [Fact]
    public void Segment_entry_again_after_leaving_and_requalifying_when_reentry_allows()
    {
        var s = Scenario.Create(Journey(entry: """{"segment":"shoppers"}""", steps: Instant, extra: """ "reentry":{"mode":"multiple"}, """), Shoppers);
        s.Track("u1", "View", "10:00");
        s.Track("u1", "View", "11:00");
        s.AdvanceTo("+10d 00:00"); // time passing alone changes nothing
        s.Track("u1", "View", "+10d 10:00", messageId: "leave"); // one view in 7 days: no longer a member
        s.Track("u1", "View", "+10d 11:00", messageId: "back");  // member again
        s.AssertTraceOf(["entered"], "11:00 u1 j entered", "+10d 11:00 u1 j entered");
        Assert.Equal("https://h.example/back", s.Sends[^1].To);
    }

    [Fact]
    public void Segment_entry_after_requalifying_with_reentry_once_is_rejected_once()
    {
        var s = Scenario.Create(Journey(entry: """{"segment":"shoppers"}""", steps: Instant), Shoppers);
        s.Track("u1", "View", "10:00");
        s.Track("u1", "View", "11:00");
        s.Track("u1", "View", "+10d 10:00");
        s.Track("u1", "View", "+10d 11:00");
        s.AssertTrace("11:00 u1 j entered", "11:00 u1 j sent s webhook", "11:00 u1 j completed", "+10d 11:00 u1 j rejected once");
    }

    [Fact]
    public void Segment_entry_first_evaluation_counts_as_a_change_including_identify()
    {
        var s = Scenario.Create(Journey(entry: """{"segment":"gold"}""", steps: Instant), Defs.TraitSegment("gold", "tier", "gold"));
        s.Identify("u1", "10:00", new { tier = "gold" }, messageId: "id-1");
        s.Identify("u1", "11:00", new { firstName = "Still gold" });
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s webhook", "10:00 u1 j completed");
        Assert.Equal("https://h.example/id-1", s.SingleSend().To);
    }

    [Fact]
    public void Segment_entry_time_passing_alone_enrolls_nobody()
    {
        var lapsed = """
            {"id":"lapsed","when":{"all":[{"trait":"email","exists":true},{"notPerformed":"Visit","within":"P1D"}]}}
            """;
        var s = Scenario.Create(Journey(entry: """{"segment":"lapsed"}""", steps: Instant), lapsed);
        s.Track("u1", "Visit", "10:00");
        s.Identify("u1", "11:00", new { email = "a@example.com" }); // visited an hour ago: not lapsed
        s.AdvanceTo("+5d 00:00");
        s.AssertTrace();
        s.Identify("u1", "+5d 10:00", new { firstName = "A" }, messageId: "wake");
        s.AssertTrace("+5d 10:00 u1 j entered", "+5d 10:00 u1 j sent s webhook", "+5d 10:00 u1 j completed");
        Assert.Equal("https://h.example/wake", s.SingleSend().To);
    }

    // ---------------------------------------------------------------- schedule entry

    [Fact]
    public void Schedule_entry_runs_at_at_and_every_period_after_for_segment_members()
    {
        var s = Scenario.Create(
            Journey(entry: """{"schedule":{"at":"2026-12-01T09:00:00Z","every":"P1D"},"segment":"gold"}""", steps: Instant,
                extra: """ "reentry":{"mode":"multiple"}, """),
            Defs.TraitSegment("gold", "tier", "gold"));
        s.Identify("u1", "08:00", new { tier = "gold" });
        s.Identify("u2", "08:00", new { tier = "silver" });
        s.AdvanceTo("08:59");
        s.AssertTrace();
        s.AdvanceTo("+1d 08:00");
        s.Identify("u2", "+1d 12:00", new { tier = "gold" });
        s.AdvanceTo("+2d 09:00");
        s.AssertTraceOf(["entered", "rejected"],
            "09:00 u1 j entered",
            "+1d 09:00 u1 j entered",
            "+2d 09:00 u1 j entered",
            "+2d 09:00 u2 j entered");
        Assert.All(s.Trace.Where(r => r.Kind == "entered"), r => Assert.Equal(0, r.At.Minute));
    }

    [Fact]
    public void Schedule_entry_without_segment_takes_everyone_in_the_audience()
    {
        var s = Scenario.Create(
            [Journey(entry: """{"schedule":{"at":"2026-12-01T09:00:00Z"}}""", steps: Instant,
                extra: """ "audience":{"include":["customers"],"exclude":["dnc"]}, """)],
            [Defs.TraitSegment("customers", "customer", true), Defs.TraitSegment("dnc", "dnc", true)]);
        s.Identify("a", "08:00", new { customer = true });
        s.Identify("b", "08:00", new { customer = true, dnc = true });
        s.Identify("c", "08:00", new { email = "c@example.com" });
        s.Track("d", "Anything", "08:30");
        s.Identify("e", "08:40", new { customer = true });
        s.Drain();
        s.AssertTraceOf(["entered"], "09:00 a j entered", "09:00 e j entered");
    }

    [Fact]
    public void Schedule_entry_with_reentry_once_rejects_the_second_run()
    {
        var s = Scenario.Create(Journey(entry: """{"schedule":{"at":"2026-12-01T09:00:00Z","every":"PT12H"}}""", steps: Instant));
        s.Identify("u1", "08:00", new { email = "a@example.com" });
        s.AdvanceTo("+1d 08:00");
        s.AssertTrace("09:00 u1 j entered", "09:00 u1 j sent s webhook", "09:00 u1 j completed", "21:00 u1 j rejected once");
    }

    // ---------------------------------------------------------------- audience, window

    private static readonly string[] AudienceSegments =
        [Defs.TraitSegment("customers", "customer", true), Defs.TraitSegment("vip", "vip", true), Defs.TraitSegment("dnc", "dnc", true)];

    [Fact]
    public void Audience_include_any_and_exclude_none_else_rejected_audience()
    {
        var s = Scenario.Create([Journey(steps: Instant, extra: """ "audience":{"include":["customers","vip"],"exclude":["dnc"]}, """)], AudienceSegments);
        s.Identify("cust", "09:00", new { customer = true });
        s.Identify("vip", "09:00", new { vip = true });
        s.Identify("none", "09:00", new { email = "n@example.com" });
        s.Identify("dnc", "09:00", new { customer = true, dnc = true });
        foreach (var u in new[] { "cust", "vip", "none", "dnc" })
        {
            s.Track(u, "Go", "10:00");
        }
        s.AssertTraceOf(["entered", "rejected"],
            "10:00 cust j entered",
            "10:00 vip j entered",
            "10:00 none j rejected audience",
            "10:00 dnc j rejected audience");
    }

    [Fact]
    public void Exclude_only_audience_admits_everyone_else()
    {
        var s = Scenario.Create([Journey(steps: Instant, extra: """ "audience":{"exclude":["dnc"]}, """)], AudienceSegments);
        s.Identify("dnc", "09:00", new { dnc = true });
        s.Track("anon", "Go", "10:00");
        s.Track("dnc", "Go", "10:00");
        s.AssertTraceOf(["entered", "rejected"], "10:00 anon j entered", "10:00 dnc j rejected audience");
    }

    [Fact]
    public void Window_accepts_entries_only_inside_it()
    {
        var s = Scenario.Create(Journey(steps: Instant,
            extra: """ "reentry":{"mode":"multiple"},"window":{"from":"2026-12-02T00:00:00Z","until":"2026-12-03T00:00:00Z"}, """));
        s.Track("u1", "Go", "23:59");
        s.Track("u1", "Go", "+1d 12:00");
        s.Track("u1", "Go", "+2d 00:01");
        s.AssertTraceOf(["entered", "rejected"],
            "23:59 u1 j rejected window",
            "+1d 12:00 u1 j entered",
            "+2d 00:01 u1 j rejected window");
    }

    // ---------------------------------------------------------------- reentry

    [Fact]
    public void Active_never_two_enrollments_at_once_even_with_multiple()
    {
        var s = Scenario.Create(Journey(extra: """ "reentry":{"mode":"multiple"}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.Drain();
        s.Track("u1", "Go", "+3d 10:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j rejected active", "+1d 10:00 u1 j completed", "+3d 10:00 u1 j entered");
    }

    [Fact]
    public void Once_is_the_default_one_enrollment_ever()
    {
        var s = Scenario.Create(Journey(steps: Instant));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "+40d 10:00");
        s.Track("u2", "Go", "+40d 10:00");
        s.AssertTraceOf(["entered", "rejected"], "10:00 u1 j entered", "+40d 10:00 u1 j rejected once", "+40d 10:00 u2 j entered");
    }

    [Fact]
    public void Lock_blocks_new_entries_until_lock_after_the_previous_entry()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple","lock":"P30D"}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "+29d 10:00");
        s.Track("u1", "Go", "+30d 09:59");
        s.Track("u1", "Go", "+30d 10:00");
        s.AssertTraceOf(["entered", "rejected"],
            "10:00 u1 j entered",
            "+29d 10:00 u1 j rejected lock",
            "+30d 09:59 u1 j rejected lock",
            "+30d 10:00 u1 j entered");
    }

    [Fact]
    public void Lock_counts_from_the_previous_entry_not_its_end()
    {
        var s = Scenario.Create(Journey(extra: """ "reentry":{"mode":"multiple","lock":"P2D"}, """,
            steps: """{"s":{"type":"delay","for":"P3D"}}"""));
        s.Track("u1", "Go", "10:00");
        s.Drain(); // completes +3d 10:00
        s.Track("u1", "Go", "+3d 11:00");
        s.AssertTrace("10:00 u1 j entered", "+3d 10:00 u1 j completed", "+3d 11:00 u1 j entered");
    }

    [Fact]
    public void Cap_window_is_now_minus_within_exclusive_to_now_inclusive()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple","cap":{"count":2,"within":"PT24H"}}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "12:00");
        s.Track("u1", "Go", "+1d 09:59"); // 10:00 and 12:00 both within (09:59, +1d 09:59]
        s.Track("u1", "Go", "+1d 10:00"); // 10:00 is no longer within (10:00, +1d 10:00]
        s.Track("u1", "Go", "+1d 11:00"); // 12:00 and +1d 10:00
        s.AssertTraceOf(["entered", "rejected"],
            "10:00 u1 j entered",
            "12:00 u1 j entered",
            "+1d 09:59 u1 j rejected cap",
            "+1d 10:00 u1 j entered",
            "+1d 11:00 u1 j rejected cap");
    }

    [Fact]
    public void Only_entries_count_toward_lock_and_cap_not_rejections()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple","lock":"PT1H","cap":{"count":2,"within":"P1D"}}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "10:30"); // lock
        s.Track("u1", "Go", "10:45"); // lock
        s.Track("u1", "Go", "11:00"); // second entry (rejections did not count toward the cap)
        s.Track("u1", "Go", "12:30"); // cap
        s.AssertTraceOf(["entered", "rejected"],
            "10:00 u1 j entered",
            "10:30 u1 j rejected lock",
            "10:45 u1 j rejected lock",
            "11:00 u1 j entered",
            "12:30 u1 j rejected cap");
    }

    [Fact]
    public void Enrollment_ids_are_journey_user_and_entry_number()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple"}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u2", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        Assert.Equal(["j:u1:1", "j:u2:1", "j:u1:2"], s.Sends.Select(m => m.EnrollmentId));
    }

    // ---------------------------------------------------------------- the order of refusals: window, audience, active, once, lock, cap

    [Fact]
    public void Refusal_order_window_before_audience()
    {
        var s = Scenario.Create(
            [Journey(steps: Instant, extra: """ "audience":{"include":["customers"]},"window":{"from":"2026-12-02T00:00:00Z"}, """)],
            AudienceSegments);
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j rejected window");
    }

    [Fact]
    public void Refusal_order_audience_before_active()
    {
        var s = Scenario.Create([Journey(extra: """ "audience":{"exclude":["dnc"]}, """)], AudienceSegments);
        s.Track("u1", "Go", "10:00");
        s.Identify("u1", "10:30", new { dnc = true });
        s.Track("u1", "Go", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j rejected audience");
    }

    [Fact]
    public void Refusal_order_window_before_active()
    {
        var s = Scenario.Create(Journey(extra: """ "window":{"until":"2026-12-01T10:30:00Z"}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j rejected window");
    }

    [Fact]
    public void Refusal_order_active_before_once()
    {
        var s = Scenario.Create(Journey());
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j rejected active");
    }

    [Fact]
    public void Refusal_order_active_before_lock_and_cap()
    {
        var s = Scenario.Create(Journey(extra: """ "reentry":{"mode":"multiple","lock":"P1D","cap":{"count":1,"within":"P1D"}}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j rejected active");
    }

    [Fact]
    public void Refusal_order_audience_before_once()
    {
        var s = Scenario.Create([Journey(steps: Instant, extra: """ "audience":{"exclude":["dnc"]}, """)], AudienceSegments);
        s.Track("u1", "Go", "10:00");
        s.Identify("u1", "10:30", new { dnc = true });
        s.Track("u1", "Go", "11:00");
        s.AssertTraceOf(["entered", "rejected"], "10:00 u1 j entered", "11:00 u1 j rejected audience");
    }

    [Fact]
    public void Refusal_order_window_before_once()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "window":{"until":"2026-12-01T10:30:00Z"}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.AssertTraceOf(["entered", "rejected"], "10:00 u1 j entered", "11:00 u1 j rejected window");
    }

    [Fact]
    public void Refusal_order_lock_before_cap()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple","lock":"P1D","cap":{"count":1,"within":"P7D"}}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "12:00"); // both lock and cap apply
        s.Track("u1", "Go", "+2d 12:00"); // lock over, cap still applies
        s.Track("u1", "Go", "+7d 10:00"); // cap window (+0d 10:00, +7d 10:00] no longer holds the first entry
        s.AssertTraceOf(["entered", "rejected"],
            "10:00 u1 j entered",
            "12:00 u1 j rejected lock",
            "+2d 12:00 u1 j rejected cap",
            "+7d 10:00 u1 j entered");
    }

    // ---------------------------------------------------------------- ingest

    [Fact]
    public void A_repeated_messageId_is_acknowledged_and_ignored()
    {
        var s = Scenario.Create(Journey(steps: Instant, extra: """ "reentry":{"mode":"multiple"}, """));
        Assert.Equal(IngestOutcome.Accepted, s.Track("u1", "Go", "10:00", messageId: "dup"));
        Assert.Equal(IngestOutcome.Duplicate, s.Track("u1", "Go", "11:00", messageId: "dup"));
        Assert.Equal(IngestOutcome.Duplicate, s.Identify("u1", "11:30", new { email = "x@example.com" }, messageId: "dup"));
        Assert.Equal(IngestOutcome.Accepted, s.Track("u1", "Go", "12:00", messageId: "other"));
        s.AssertTraceOf(["entered", "rejected"], "10:00 u1 j entered", "12:00 u1 j entered");
        Assert.True(s.Profile("u1").Trait("email").IsMissing);
        Assert.Single(s.Stores.History.Get("u1"), e => e.Timestamp == Times.At("10:00"));
        Assert.Equal(2, s.Stores.History.Get("u1").Count);
    }

    [Fact]
    public void Identify_merges_traits_and_null_removes_one()
    {
        var s = Scenario.Create(Journey(steps: """
            {"s":{"type":"send","channel":"sms","content":{"text":"{{profile.firstName}}|{{profile.tier}}|{{profile.coupon}}|{{profile.consent.sms}}"}}}
            """));
        s.Identify("u1", "09:00", new { firstName = "Beth", coupon = "C1", tier = "gold" });
        s.Identify("u1", "09:10", """{"phone":"+1555","consent":{"sms":true},"coupon":null,"tier":"vip"}""");
        s.Track("u1", "Go", "10:00");
        var profile = s.Profile("u1");
        Assert.Equal("Beth", profile.Trait("firstName").AsString);
        Assert.Equal("+1555", profile.Trait("phone").AsString);
        Assert.Equal("vip", profile.Trait("tier").AsString);
        Assert.False(profile.Traits.ContainsKey("coupon"));
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s sms", "10:00 u1 j completed");
        Assert.StartsWith("Beth|vip||", s.SingleSend().Content["text"]);
    }

    [Fact]
    public void Events_reach_active_enrollments_before_entries_are_evaluated()
    {
        // the event that ends the running enrollment also starts the next one
        var s = Scenario.Create(Journey(extra: """ "reentry":{"mode":"multiple"},"exit":{"events":[{"event":"Go"}]}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Go", "11:00");
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j exited event", "11:00 u1 j entered");
    }

    [Fact]
    public void An_event_reaches_every_active_journey_of_the_user_and_only_that_user()
    {
        var s = Scenario.Create([
            Journey(id: "a", extra: """ "goal":{"event":"Buy"}, """),
            Journey(id: "b", extra: """ "exit":{"events":[{"event":"Buy"}]}, """)]);
        s.Track("u1", "Go", "10:00");
        s.Track("u2", "Go", "10:00");
        s.Track("u1", "Buy", "11:00");
        s.AssertTrace(
            "10:00 u1 a entered", "10:00 u1 b entered", "10:00 u2 a entered", "10:00 u2 b entered",
            "11:00 u1 a converted", "11:00 u1 a exited goal", "11:00 u1 b exited event");
    }
}
