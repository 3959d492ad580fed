using Journeys.Core.Definitions;
using Journeys.Core.Engine;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Engine;

/// <summary>Each step type of DESIGN §4, driven through the runtime on in-memory stores.</summary>
public sealed class StepTests
{
    /// <summary>A journey entered on <c>Go</c> whose steps are <paramref name="steps"/> (JSON members), starting at <paramref name="start"/>.</summary>
    private static string Journey(string steps, string start = "s", string extra = "", string id = "j", string name = "Test journey") =>
        $$"""
        {"id":"{{id}}","name":"{{name}}","entry":{"event":"Go"},{{extra}}
         "start":"{{start}}","steps":{ {{steps}} } }
        """;

    private static string SendOn(string channel, string content, string? next = null, string id = "s") =>
        $$"""
        "{{id}}":{"type":"send","channel":"{{channel}}","content":{{content}}{{(next is null ? "" : $",\"next\":\"{next}\"")}}}
        """;

    private const string EmailContent = """{"subject":"Hi","body":"Hello"}""";
    private const string SmsContent = """{"text":"Hello"}""";
    private const string PushContent = """{"body":"Hello"}""";

    // ---------------------------------------------------------------- send: rendering

    [Fact]
    public void Email_renders_profile_event_and_journey_and_escapes_only_the_body()
    {
        var s = Scenario.Create(Journey(SendOn("email",
            """{"subject":"Hi {{profile.firstName}}, about {{event.properties.sku}}","body":"<p>{{profile.firstName}} / {{event.properties.sku}} / {{journey.name}} / {{journey.id}} / {{profile.userId}} / {{event.event}}</p>"}""")));
        s.Identify("u1", "09:00", new { email = "beth@example.com", firstName = "Beth <b>&" });
        s.Track("u1", "Go", "10:00", new { sku = "TOP-7" });

        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s email", "10:00 u1 j completed");
        var m = s.SingleSend();
        Assert.Equal(Channel.Email, m.Channel);
        Assert.Equal("beth@example.com", m.To);
        Assert.Equal("u1", m.UserId);
        Assert.Equal("j", m.JourneyId);
        Assert.Equal("s", m.Step);
        Assert.Equal(Times.At("10:00"), m.At);
        // the body is HTML: the trait's markup is escaped, the template's own markup is not
        var body = m.Content["body"];
        Assert.StartsWith("<p>Beth &lt;b&gt;&amp; / TOP-7 / Test journey / j / u1 / Go</p>", body);
        Assert.DoesNotContain("<b>", body);
        // the subject is not HTML (DESIGN is silent; the code renders it as it is)
        Assert.Equal("Hi Beth <b>&, about TOP-7", m.Content["subject"]);
    }

    [Fact]
    public void A_message_read_after_the_profile_changed_shows_the_profile_it_was_sent_to()
    {
        // the content renders when first read (a replay without an outbox never reads it): by then the user has a new
        // name, and the message must still say what it said when it was sent
        var s = Scenario.Create(Journey(SendOn("email", """{"subject":"Hi {{profile.firstName}}","body":"{{profile.firstName}} {{event.properties.sku}}"}""")));
        s.Identify("u1", "09:00", new { email = "beth@example.com", firstName = "Beth" });
        s.Track("u1", "Go", "10:00", new { sku = "TOP-7" });
        s.Identify("u1", "11:00", new { firstName = "Elizabeth" });

        var m = s.SingleSend();
        Assert.Equal("Hi Beth", m.Content["subject"]);
        Assert.Equal("Beth TOP-7", m.Content["body"]);
        Assert.Equal(["body", "subject"], m.Content.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(m.Headers);
    }

    [Fact]
    public void Sms_text_is_rendered_without_html_escaping()
    {
        var s = Scenario.Create(Journey(SendOn("sms", """{"text":"Hi {{profile.firstName}} <3 {{event.properties.code}}"}""")));
        s.Identify("u1", "09:00", new { phone = "+15550100", firstName = "A&B <x>", consent = new { sms = true } });
        s.Track("u1", "Go", "10:00", new { code = "SAVE&10" });

        var m = s.SingleSend();
        Assert.Equal(Channel.Sms, m.Channel);
        Assert.Equal("+15550100", m.To);
        Assert.Equal("Hi A&B <x> <3 SAVE&10", m.Content["text"]);
    }

    [Fact]
    public void Push_goes_to_the_push_token()
    {
        var s = Scenario.Create(Journey(SendOn("push", """{"title":"T {{journey.id}}","body":"B {{profile.firstName}}"}""")));
        s.Identify("u1", "09:00", new { pushToken = "tok-1", firstName = "Al" });
        s.Track("u1", "Go", "10:00");

        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s push", "10:00 u1 j completed");
        var m = s.SingleSend();
        Assert.Equal(Channel.Push, m.Channel);
        Assert.Equal("tok-1", m.To);
        Assert.Equal("T j", m.Content["title"]);
        Assert.Equal("B Al", m.Content["body"]);
    }

    [Fact]
    public void Webhook_renders_url_headers_and_body_and_ignores_consent_and_addresses()
    {
        var s = Scenario.Create(Journey(SendOn("webhook",
            """{"url":"https://hooks.example.com/users/{{profile.userId}}?sku={{event.properties.sku}}","method":"PUT","headers":{"X-User":"{{profile.userId}}","X-Tier":"{{profile.tier}}"},"body":"{\"sku\":\"{{event.properties.sku}}\",\"who\":\"{{profile.firstName}}\"}"}""")));
        // no email, phone or push token, and every consent refused: a webhook is a destination, not a person
        s.Identify("u1", "09:00", new { tier = "gold&co", firstName = "<Bo>", consent = new { email = false, sms = false, push = false } });
        s.Track("u1", "Go", "10:00", new { sku = "A-1" });

        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s webhook", "10:00 u1 j completed");
        var m = s.SingleSend();
        Assert.Equal(Channel.Webhook, m.Channel);
        Assert.Equal("https://hooks.example.com/users/u1?sku=A-1", m.To);
        Assert.Equal("u1", m.Headers["X-User"]);
        Assert.Equal("gold&co", m.Headers["X-Tier"]);
        Assert.Equal("{\"sku\":\"A-1\",\"who\":\"<Bo>\"}", m.Content["body"]);
    }

    [Fact]
    public void Webhook_goes_for_a_user_with_no_traits_at_all()
    {
        var s = Scenario.Create(Journey(SendOn("webhook", """{"url":"https://h.example/{{profile.userId}}"}""")));
        s.Track("u9", "Go", "10:00");
        s.AssertTrace("10:00 u9 j entered", "10:00 u9 j sent s webhook", "10:00 u9 j completed");
        Assert.Equal("https://h.example/u9", s.SingleSend().To);
    }

    [Fact]
    public void Idempotency_key_is_stable_across_runs_and_differs_between_enrollments()
    {
        static List<string> Run()
        {
            var s = Scenario.Create(Journey(SendOn("email", EmailContent), extra: """ "reentry":{"mode":"multiple"},"""));
            s.Identify("u1", "09:00", new { email = "a@example.com" });
            s.Identify("u2", "09:00", new { email = "b@example.com" });
            s.Track("u1", "Go", "10:00");
            s.Track("u2", "Go", "10:00");
            s.Track("u1", "Go", "11:00");
            return s.Sends.Select(m => m.IdempotencyKey).ToList();
        }

        var first = Run();
        var second = Run();
        Assert.Equal(3, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(3, first.Distinct().Count());
    }

    [Fact]
    public void Idempotency_key_differs_between_visits_of_a_looping_send()
    {
        var s = Scenario.Create(Journey(
            SendOn("email", EmailContent, next: "wait") + "," + """
            "wait":{"type":"delay","for":"P1D","next":"s"}
            """, extra: """ "exit":{"maxDuration":"P2DT12H"},"""));
        s.Identify("u1", "09:00", new { email = "a@example.com" });
        s.Track("u1", "Go", "10:00");
        s.Drain();

        s.AssertTrace(
            "10:00 u1 j entered",
            "10:00 u1 j sent s email",
            "+1d 10:00 u1 j sent s email",
            "+2d 10:00 u1 j sent s email",
            "+2d 22:00 u1 j exited max-duration");
        Assert.Equal(3, s.Sends.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.All(s.Sends, m => Assert.Equal(s.Sends[0].EnrollmentId, m.EnrollmentId));
    }

    // ---------------------------------------------------------------- send: suppression

    [Fact]
    public void Email_without_an_address_is_suppressed_and_the_journey_goes_on()
    {
        var s = Scenario.Create(Journey(SendOn("email", EmailContent, next: "t") + "," + SendOn("sms", SmsContent, id: "t")));
        s.Identify("u1", "09:00", new { phone = "+1555", consent = new { sms = true, email = true } });
        s.Track("u1", "Go", "10:00");

        s.AssertTrace(
            "10:00 u1 j entered",
            "10:00 u1 j suppressed s email no-address",
            "10:00 u1 j sent t sms",
            "10:00 u1 j completed");
        Assert.Equal("t", s.SingleSend().Step);
    }

    [Theory]
    [InlineData("""{"phone":"+1555"}""", "suppressed s sms no-consent")]
    [InlineData("""{"phone":"+1555","consent":{}}""", "suppressed s sms no-consent")]
    [InlineData("""{"phone":"+1555","consent":{"sms":false}}""", "suppressed s sms no-consent")]
    [InlineData("""{"phone":"+1555","consent":{"email":true}}""", "suppressed s sms no-consent")]
    [InlineData("""{"phone":"+1555","consent":{"sms":true}}""", "sent s sms")]
    [InlineData("""{"consent":{"sms":true}}""", "suppressed s sms no-address")]
    [InlineData("""{"consent":{"sms":false}}""", "suppressed s sms no-address")]
    public void Sms_needs_a_phone_then_an_explicit_opt_in(string traits, string expected)
    {
        var s = Scenario.Create(Journey(SendOn("sms", SmsContent)));
        s.Identify("u1", "09:00", traits);
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j " + expected, "10:00 u1 j completed");
        Assert.Equal(expected.StartsWith("sent", StringComparison.Ordinal) ? 1 : 0, s.Sends.Count);
    }

    [Theory]
    [InlineData("""{"email":"a@example.com"}""", "sent s email")]
    [InlineData("""{"email":"a@example.com","consent":{"email":true}}""", "sent s email")]
    [InlineData("""{"email":"a@example.com","consent":{"sms":false}}""", "sent s email")]
    [InlineData("""{"email":"a@example.com","consent":{"email":false}}""", "suppressed s email no-consent")]
    [InlineData("""{"consent":{"email":false}}""", "suppressed s email no-address")]
    [InlineData("""{"phone":"+1555","consent":{"email":true}}""", "suppressed s email no-address")]
    public void Email_goes_unless_consent_is_false(string traits, string expected)
    {
        var s = Scenario.Create(Journey(SendOn("email", EmailContent)));
        s.Identify("u1", "09:00", traits);
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j " + expected, "10:00 u1 j completed");
    }

    [Theory]
    [InlineData("""{"pushToken":"t"}""", "sent s push")]
    [InlineData("""{"pushToken":"t","consent":{"push":false}}""", "suppressed s push no-consent")]
    [InlineData("""{"email":"a@example.com"}""", "suppressed s push no-address")]
    public void Push_goes_unless_consent_is_false(string traits, string expected)
    {
        var s = Scenario.Create(Journey(SendOn("push", PushContent)));
        s.Identify("u1", "09:00", traits);
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j " + expected, "10:00 u1 j completed");
    }

    [Fact]
    public void A_suppressed_send_goes_on_to_its_next_even_into_a_delay()
    {
        var s = Scenario.Create(Journey(
            SendOn("sms", SmsContent, next: "d") + "," + """
            "d":{"type":"delay","for":"PT1H","next":"e"},
            """ + SendOn("email", EmailContent, id: "e")));
        s.Identify("u1", "09:00", new { email = "a@example.com", phone = "+1555" });
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace(
            "10:00 u1 j entered",
            "10:00 u1 j suppressed s sms no-consent",
            "11:00 u1 j sent e email",
            "11:00 u1 j completed");
    }

    // ---------------------------------------------------------------- send: preferred channel

    private const string PreferredAll = """{"email":{"subject":"E","body":"E"},"sms":{"text":"S"},"push":{"body":"P"}}""";

    [Theory]
    // the preferred channel when it has address, consent and content
    [InlineData(PreferredAll, """{"preferredChannel":"sms","email":"a@x","phone":"+1","pushToken":"t","consent":{"sms":true}}""", "sms")]
    [InlineData(PreferredAll, """{"preferredChannel":"push","email":"a@x","phone":"+1","pushToken":"t","consent":{"sms":true}}""", "push")]
    // preferred sms without opt-in: first of email, sms, push that can go
    [InlineData(PreferredAll, """{"preferredChannel":"sms","email":"a@x","phone":"+1","pushToken":"t"}""", "email")]
    // preferred push without a token
    [InlineData(PreferredAll, """{"preferredChannel":"push","phone":"+1","consent":{"sms":true}}""", "sms")]
    // preferred email without content for email
    [InlineData("""{"sms":{"text":"S"},"push":{"body":"P"}}""", """{"preferredChannel":"email","email":"a@x","pushToken":"t"}""", "push")]
    // no preference: email first
    [InlineData(PreferredAll, """{"email":"a@x","phone":"+1","pushToken":"t","consent":{"sms":true}}""", "email")]
    // no preference: sms before push whatever order the content lists them in
    [InlineData("""{"push":{"body":"P"},"sms":{"text":"S"}}""", """{"email":"a@x","phone":"+1","pushToken":"t","consent":{"sms":true}}""", "sms")]
    // email opted out, sms not opted in: push
    [InlineData(PreferredAll, """{"email":"a@x","phone":"+1","pushToken":"t","consent":{"email":false}}""", "push")]
    public void Preferred_picks_the_preferred_channel_else_the_first_of_email_sms_push_that_can_go(string content, string traits, string expected)
    {
        var s = Scenario.Create(Journey(SendOn("preferred", content)));
        s.Identify("u1", "09:00", traits);
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", $"10:00 u1 j sent s {expected}", "10:00 u1 j completed");
        var m = s.SingleSend();
        Assert.Equal(expected, SendPlanner.Name(m.Channel));
        var field = expected == "sms" ? "text" : "body";
        Assert.Equal(expected switch { "email" => "E", "sms" => "S", _ => "P" }, m.Content[field]);
    }

    [Fact]
    public void Preferred_with_no_usable_channel_is_suppressed_and_goes_on()
    {
        var s = Scenario.Create(Journey(SendOn("preferred", PreferredAll, next: "w") + "," +
                                        SendOn("webhook", """{"url":"https://h.example"}""", id: "w")));
        s.Identify("u1", "09:00", new { phone = "+1", consent = new { sms = false } });
        s.Track("u1", "Go", "10:00");
        Assert.Equal(["entered", "suppressed", "sent", "completed"], s.Trace.Select(r => r.Kind));
        Assert.Equal("s", s.Trace[1].Step);
        Assert.Equal("w", s.SingleSend().Step);
    }

    // ---------------------------------------------------------------- delay

    [Fact]
    public void Delay_for_waits_the_duration()
    {
        var s = Scenario.Create(Journey("""
            "d":{"type":"delay","for":"PT2H","next":"w"},
            """ + SendOn("webhook", """{"url":"https://h.example"}""", id: "w"), start: "d"));
        s.Track("u1", "Go", "10:00");
        s.AdvanceTo("11:59");
        s.AssertTrace("10:00 u1 j entered");
        s.AdvanceTo("12:00");
        s.AssertTrace("10:00 u1 j entered", "12:00 u1 j sent w webhook", "12:00 u1 j completed");
    }

    [Theory]
    [InlineData("08:00", null, "09:00")]
    [InlineData("08:59", null, "09:00")]
    [InlineData("09:00", null, "+1d 09:00")] // strictly after now
    [InlineData("10:00", null, "+1d 09:00")]
    [InlineData("08:00", 0, "09:00")]
    [InlineData("08:00", 1, "+1d 09:00")] // n calendar days after today
    [InlineData("10:00", 1, "+1d 09:00")]
    [InlineData("08:00", 2, "+2d 09:00")]
    [InlineData("23:30", 2, "+2d 09:00")]
    public void Delay_until_is_the_next_time_of_day_or_n_days_after_today(string now, int? days, string expected)
    {
        var daysJson = days is null ? "" : $",\"days\":{days}";
        var s = Scenario.Create(Journey($$"""
            "d":{"type":"delay","until":"09:00"{{daysJson}},"next":"w"},
            """ + SendOn("webhook", """{"url":"https://h.example"}""", id: "w"), start: "d"));
        s.Track("u1", "Go", now);
        s.Drain();
        s.AssertTrace($"{now} u1 j entered", $"{expected} u1 j sent w webhook", $"{expected} u1 j completed");
    }

    [Fact]
    public void Delay_until_date_in_the_future_waits_for_it()
    {
        var s = Scenario.Create(Journey("""
            "d":{"type":"delay","untilDate":"2026-12-03T15:30:00+01:00","next":"w"},
            """ + SendOn("webhook", """{"url":"https://h.example"}""", id: "w"), start: "d"));
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+2d 14:30 u1 j sent w webhook", "+2d 14:30 u1 j completed");
    }

    [Fact]
    public void Delay_until_date_in_the_past_continues_at_once()
    {
        var s = Scenario.Create(Journey("""
            "d":{"type":"delay","untilDate":"2026-11-01T00:00:00Z","next":"w"},
            """ + SendOn("webhook", """{"url":"https://h.example"}""", id: "w"), start: "d"));
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent w webhook", "10:00 u1 j completed");
    }

    // ---------------------------------------------------------------- waitFor

    /// <summary>Webhook sends named <paramref name="ids"/>, only those some other part refers to (unreachable steps are invalid).</summary>
    private static string Targets(string referencing, params string[] ids) => string.Concat(ids
        .Where(id => referencing.Contains($"\"{id}\"", StringComparison.Ordinal))
        .Select(id => $",\"{id}\":{{\"type\":\"send\",\"channel\":\"webhook\",\"content\":{{\"url\":\"https://h.example/{id}\"}}}}"));

    private static string WaitJourney(string where = "", string onEvent = "\"onEvent\":\"yes\",", string onTimeout = "\"onTimeout\":\"no\",", string entry = "Go", string extra = "")
    {
        var wait = $$"""
            {"id":"j","entry":{"event":"{{entry}}"},{{extra}}"start":"w","steps":{
              "w":{"type":"waitFor","event":"Purchase",{{where}}{{onEvent}}{{onTimeout}}"timeout":"PT24H"}
            """;
        return wait + Targets(onEvent + onTimeout, "yes", "no") + "}}";
    }

    [Fact]
    public void WaitFor_takes_the_event_path_when_the_event_comes()
    {
        var s = Scenario.Create(WaitJourney());
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "15:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "15:00 u1 j path w event", "15:00 u1 j sent yes webhook", "15:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_takes_the_timeout_path_at_the_timeout()
    {
        var s = Scenario.Create(WaitJourney());
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Other", "11:00");
        s.AdvanceTo("+1d 09:59");
        s.AssertTrace("10:00 u1 j entered");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+1d 10:00 u1 j path w timeout", "+1d 10:00 u1 j sent no webhook", "+1d 10:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_where_filters_the_events_that_count()
    {
        var s = Scenario.Create(WaitJourney(where: """ "where":{"property":"price","gt":100}, """));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00", new { price = 50 });
        s.Track("u1", "Purchase", "12:00", new { price = 150 });
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "12:00 u1 j path w event", "12:00 u1 j sent yes webhook", "12:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_ignores_the_entry_event_even_with_the_same_name()
    {
        var s = Scenario.Create(WaitJourney(entry: "Purchase"));
        s.Track("u1", "Purchase", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+1d 10:00 u1 j path w timeout", "+1d 10:00 u1 j sent no webhook", "+1d 10:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_counts_only_events_after_the_wait_began()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"d","steps":{
              "d":{"type":"delay","for":"PT1H","next":"w"},
              "w":{"type":"waitFor","event":"Click","timeout":"PT2H","onEvent":"yes","onTimeout":"no"},
              "yes":{"type":"send","channel":"webhook","content":{"url":"https://h.example/yes"} },
              "no":{"type":"send","channel":"webhook","content":{"url":"https://h.example/no"}}
            }}
            """);
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Click", "10:30"); // before the wait began (still in the delay)
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "13:00 u1 j path w timeout", "13:00 u1 j sent no webhook", "13:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_counts_an_event_with_the_same_timestamp_processed_after_the_wait_began()
    {
        var s = Scenario.Create(WaitJourney());
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path w event", "10:00 u1 j sent yes webhook", "10:00 u1 j completed");
    }

    [Fact]
    public void WaitFor_without_onEvent_completes_on_the_event()
    {
        var s = Scenario.Create(WaitJourney(onEvent: ""));
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j path w event", "11:00 u1 j completed");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void WaitFor_without_onTimeout_completes_at_the_timeout()
    {
        var s = Scenario.Create(WaitJourney(onTimeout: ""));
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "+1d 10:00 u1 j path w timeout", "+1d 10:00 u1 j completed");
        Assert.Empty(s.Sends);
    }

    [Fact]
    public void WaitFor_takes_only_the_first_matching_event()
    {
        var s = Scenario.Create(WaitJourney());
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Purchase", "11:00");
        s.Track("u1", "Purchase", "12:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "11:00 u1 j path w event", "11:00 u1 j sent yes webhook", "11:00 u1 j completed");
    }

    // ---------------------------------------------------------------- branch

    private static string BranchJourney(string paths, string otherwise = "\"otherwise\":\"o\",", string start = "b", string more = "")
    {
        var head = $$"""
            {"id":"j","entry":{"event":"Go"},"start":"{{start}}","steps":{
              {{more}}
              "b":{"type":"branch",{{otherwise}}"paths":{{paths}} }
            """;
        return head + Targets(paths + otherwise, "a1", "a2", "o") + "}}";
    }

    private const string TierPaths = """
        [{"name":"gold","when":{"trait":"tier","eq":"gold"},"next":"a1"},
         {"name":"metal","when":{"trait":"tier","in":["gold","silver"]},"next":"a2"}]
        """;

    [Theory]
    [InlineData("gold", "gold", "a1")] // both paths match: the first wins
    [InlineData("silver", "metal", "a2")]
    [InlineData("bronze", "otherwise", "o")]
    public void Branch_first_match_wins_else_otherwise(string tier, string path, string step)
    {
        var s = Scenario.Create(BranchJourney(TierPaths));
        s.Identify("u1", "09:00", new { tier });
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", $"10:00 u1 j path b {path}", $"10:00 u1 j sent {step} webhook", "10:00 u1 j completed");
    }

    [Fact]
    public void Branch_without_otherwise_completes_on_the_fallback()
    {
        var s = Scenario.Create(BranchJourney(TierPaths, otherwise: ""));
        s.Track("u1", "Go", "10:00");
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path b otherwise", "10:00 u1 j completed");
    }

    [Fact]
    public void Branch_property_tests_read_the_entry_event_not_later_events()
    {
        var s = Scenario.Create(BranchJourney(
            """[{"name":"big","when":{"property":"cartValue","gt":50},"next":"a1"}]""",
            start: "w",
            more: """ "w":{"type":"waitFor","event":"Purchase","timeout":"PT24H","onEvent":"b","onTimeout":"b"}, """));
        s.Track("u1", "Go", "10:00", new { cartValue = 10 });
        s.Track("u2", "Go", "10:00", new { cartValue = 80 });
        s.Track("u1", "Purchase", "11:00", new { cartValue = 500 });
        s.Track("u2", "Purchase", "11:00", new { cartValue = 1 });
        s.AssertTrace(
            "10:00 u1 j entered",
            "10:00 u2 j entered",
            "11:00 u1 j path w event",
            "11:00 u1 j path b otherwise",
            "11:00 u1 j sent o webhook",
            "11:00 u1 j completed",
            "11:00 u2 j path w event",
            "11:00 u2 j path b big",
            "11:00 u2 j sent a1 webhook",
            "11:00 u2 j completed");
    }

    [Fact]
    public void Branch_history_since_entry_counts_only_events_after_the_enrollment_began()
    {
        var s = Scenario.Create(BranchJourney(
            """[{"name":"bought","when":{"performed":"Buy","since":"entry"},"next":"a1"}]""",
            start: "d",
            more: """ "d":{"type":"delay","for":"PT1H","next":"b"}, """));
        s.Track("u1", "Buy", "09:00");
        s.Track("u1", "Go", "10:00");
        s.Track("u2", "Go", "10:00");
        s.Track("u2", "Buy", "10:30");
        s.Drain();
        s.AssertTraceOf(["path"], "11:00 u1 j path b otherwise", "11:00 u2 j path b bought");
    }

    // ---------------------------------------------------------------- split

    private static string SplitJourney(string paths = """[{"name":"A","percent":50,"next":"a1"},{"name":"B","percent":50,"next":"a2"}]""", string extra = "") => $$"""
        {"id":"ab","entry":{"event":"Go"},{{extra}}"start":"sp","steps":{
          "sp":{"type":"split","paths":{{paths}}},
          "a1":{"type":"send","channel":"webhook","content":{"url":"https://h.example/a1"} },
          "a2":{"type":"send","channel":"webhook","content":{"url":"https://h.example/a2"} }
          {{(paths.Contains("a3", StringComparison.Ordinal) ? ",\"a3\":{\"type\":\"send\",\"channel\":\"webhook\",\"content\":{\"url\":\"https://h.example/a3\"} }" : "")}}
        } }
        """;

    [Fact]
    public void Split_records_the_path_before_the_send_it_leads_to()
    {
        var s = Scenario.Create(SplitJourney());
        s.Track("u1", "Go", "10:00");
        Assert.Equal(4, s.Trace.Count);
        var path = s.Trace[1];
        Assert.Equal(("path", "sp"), (path.Kind, path.Step));
        Assert.Contains(path.Path, new[] { "A", "B" });
        var expectedStep = path.Path == "A" ? "a1" : "a2";
        s.AssertTrace("10:00 u1 ab entered", $"10:00 u1 ab path sp {path.Path}", $"10:00 u1 ab sent {expectedStep} webhook", "10:00 u1 ab completed");
    }

    private static Dictionary<string, string> SplitPaths(int users, string? paths = null, string extra = "")
    {
        var s = new Scenario(Defs.Compile([paths is null ? SplitJourney(extra: extra) : SplitJourney(paths, extra)]));
        for (var i = 0; i < users; i++)
        {
            s.Track($"user-{i}", "Go", "10:00");
        }
        return s.Trace.Where(r => r.Kind == TraceKind.Path).ToDictionary(r => r.User, r => r.Path!);
    }

    [Fact]
    public void Split_is_stable_per_user_across_runs()
    {
        var first = SplitPaths(500);
        var second = SplitPaths(500);
        Assert.Equal(500, first.Count);
        Assert.Equal(first.OrderBy(kv => kv.Key, StringComparer.Ordinal), second.OrderBy(kv => kv.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void Split_is_stable_per_user_across_reentries()
    {
        var s = Scenario.Create(SplitJourney(extra: """ "reentry":{"mode":"multiple"}, """));
        foreach (var at in new[] { "10:00", "11:00", "+3d 12:00" })
        {
            for (var i = 0; i < 50; i++)
            {
                s.Track($"user-{i}", "Go", at);
            }
        }
        var byUser = s.Trace.Where(r => r.Kind == TraceKind.Path).GroupBy(r => r.User).ToList();
        Assert.Equal(50, byUser.Count);
        Assert.All(byUser, g =>
        {
            Assert.Equal(3, g.Count());
            Assert.Single(g.Select(r => r.Path).Distinct());
        });
        // and not everyone on one path
        Assert.Equal(2, byUser.Select(g => g.First().Path).Distinct().Count());
    }

    [Fact]
    public void Split_roughly_matches_50_50_over_10000_users()
    {
        var paths = SplitPaths(10_000);
        var a = paths.Values.Count(p => p == "A");
        var b = paths.Values.Count(p => p == "B");
        Assert.Equal(10_000, a + b);
        Assert.InRange(a, 4_800, 5_200);
    }

    [Fact]
    public void Split_roughly_matches_10_30_60_over_10000_users()
    {
        var paths = SplitPaths(10_000, """
            [{"name":"A","percent":10,"next":"a1"},{"name":"B","percent":30,"next":"a2"},{"name":"C","percent":60,"next":"a3"}]
            """);
        var counts = paths.Values.GroupBy(p => p).ToDictionary(g => g.Key, g => g.Count());
        Assert.InRange(counts.GetValueOrDefault("A"), 850, 1_150);
        Assert.InRange(counts.GetValueOrDefault("B"), 2_800, 3_200);
        Assert.InRange(counts.GetValueOrDefault("C"), 5_750, 6_250);
    }

    [Fact]
    public void Split_hash_depends_on_journey_and_step_as_well_as_user()
    {
        // the same users bucketed for two different steps should not land identically
        var same = 0;
        for (var i = 0; i < 1000; i++)
        {
            var a = SplitHash.Bucket("j", "s1", $"u{i}") < 50;
            var b = SplitHash.Bucket("j", "s2", $"u{i}") < 50;
            same += a == b ? 1 : 0;
        }
        Assert.InRange(same, 400, 600);
    }

    [Fact]
    public void Split_paths_may_merge_into_one_step()
    {
        var s = Scenario.Create("""
            {"id":"ab","entry":{"event":"Go"},"start":"sp","steps":{
              "sp":{"type":"split","paths":[{"name":"A","percent":50,"next":"a"},{"name":"B","percent":50,"next":"b"}]},
              "a":{"type":"update","traits":{"variant":"A"},"next":"pause"},
              "b":{"type":"update","traits":{"variant":"B"},"next":"pause"},
              "pause":{"type":"delay","for":"P2D","next":"m"},
              "m":{"type":"send","channel":"webhook","content":{"url":"https://h.example/{{profile.variant}}"}}}}
            """);
        for (var i = 0; i < 40; i++)
        {
            s.Track($"user-{i}", "Go", "10:00");
        }
        s.Drain();
        var paths = s.Trace.Where(r => r.Kind == "path").ToDictionary(r => r.User, r => r.Path!);
        Assert.Equal(2, paths.Values.Distinct().Count());
        Assert.Equal(40, s.Sends.Count);
        Assert.All(s.Sends, m =>
        {
            Assert.Equal(Times.At("+2d 10:00"), m.At);
            Assert.Equal($"https://h.example/{paths[m.UserId]}", m.To);
        });
    }

    // ---------------------------------------------------------------- update

    [Fact]
    public void Update_merges_into_the_profile_and_a_later_branch_sees_it()
    {
        var s = Scenario.Create("""
            {"id":"j","entry":{"event":"Go"},"start":"u","steps":{
              "u":{"type":"update","traits":{"tier":"gold","coupon":null,"prefs":{"news":"yes"}},"next":"b"},
              "b":{"type":"branch","paths":[
                 {"name":"gold-no-coupon","when":{"all":[{"trait":"tier","eq":"gold"},{"trait":"coupon","exists":false}]},"next":"m"}],
                 "otherwise":"o"},
              "m":{"type":"send","channel":"email","content":{"subject":"{{profile.tier}}","body":"{{profile.firstName}} {{profile.prefs.news}}"}},
              "o":{"type":"send","channel":"webhook","content":{"url":"https://h.example/o"}}
            }}
            """);
        s.Identify("u1", "09:00", new { email = "a@example.com", firstName = "Ann", tier = "silver", coupon = "C1" });
        s.Track("u1", "Go", "10:00");

        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j path b gold-no-coupon", "10:00 u1 j sent m email", "10:00 u1 j completed");
        var m = s.SingleSend();
        Assert.Equal("gold", m.Content["subject"]);
        Assert.Equal("Ann yes", m.Content["body"]);

        var profile = s.Profile("u1");
        Assert.Equal("gold", profile.Trait("tier").AsString);
        Assert.Equal("Ann", profile.Trait("firstName").AsString);
        Assert.Equal("a@example.com", profile.Trait("email").AsString);
        Assert.True(profile.Trait("coupon").IsMissing);
        Assert.False(profile.Traits.ContainsKey("coupon"));
    }

    [Fact]
    public void Update_is_seen_by_a_later_event_entry_condition()
    {
        var s = Scenario.Create(
            [
                """
                {"id":"a","entry":{"event":"Go"},"start":"u","steps":{"u":{"type":"update","traits":{"vip":true}}}}
                """,
                """
                {"id":"b","entry":{"event":"Later","where":{"trait":"vip","eq":true}},"start":"x","steps":{"x":{"type":"exit"}}}
                """,
            ]);
        s.Track("u1", "Later", "09:00");
        s.Track("u1", "Go", "10:00");
        s.Track("u1", "Later", "11:00");
        s.AssertTrace("10:00 u1 a entered", "10:00 u1 a completed", "11:00 u1 b entered", "11:00 u1 b exited step");
    }

    // ---------------------------------------------------------------- exit

    [Fact]
    public void Exit_step_ends_the_enrollment_as_exited_step()
    {
        var s = Scenario.Create(Journey(
            SendOn("webhook", """{"url":"https://h.example"}""", next: "x") + "," + """
            "x":{"type":"exit"}
            """));
        s.Track("u1", "Go", "10:00");
        s.Drain();
        s.AssertTrace("10:00 u1 j entered", "10:00 u1 j sent s webhook", "10:00 u1 j exited step");
    }
}
