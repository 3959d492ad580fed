using Journeys.Core.Audience;
using Journeys.Core.Engine;
using Journeys.Core.Runtime;

namespace Journeys.Core.Tests.Stores;

/// <summary>
/// What every implementation of the runtime's ports must do, whatever it stores in: in memory here,
/// SQLite and Table Storage in their own test projects (link this file and derive from it).
/// </summary>
public abstract class StoreConformance
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Fresh, empty stores for one test.</summary>
    protected abstract RuntimeStores CreateStores();

    private static Value Traits(params (string Name, Value Value)[] fields) =>
        Value.From(fields.ToDictionary(f => f.Name, f => f.Value, StringComparer.Ordinal));

    private static EnrollmentState Enrollment(string journey, string user, int entryNo, EnrollmentStatus status = EnrollmentStatus.Active) => new()
    {
        EnrollmentId = EnrollmentState.IdFor(journey, user, entryNo),
        JourneyId = journey,
        Version = 1,
        UserId = user,
        EntryNo = entryNo,
        EnteredAt = T0,
        Status = status,
        Step = "wait",
        WaitUntil = T0.AddHours(1),
    };

    [Fact]
    public void Profiles_are_found_by_user_and_listed_in_ordinal_order()
    {
        var stores = CreateStores();
        Assert.Null(stores.Profiles.Find("u-2"));

        stores.Profiles.Save(Profile.Empty("u-2").Merge(Traits(("email", Value.From("b@example.com")), ("consent", Traits(("sms", Value.True))))));
        stores.Profiles.Save(Profile.Empty("U-1"));
        stores.Profiles.Save(Profile.Empty("u-10"));

        var found = stores.Profiles.Find("u-2")!;
        Assert.Equal("b@example.com", found.Trait("email").AsString);
        Assert.True(found.Consent("sms"));
        Assert.Equal(["U-1", "u-10", "u-2"], stores.Profiles.UserIds());
    }

    [Fact]
    public void A_saved_profile_replaces_the_previous_one()
    {
        var stores = CreateStores();
        stores.Profiles.Save(Profile.Empty("u").Merge(Traits(("tier", Value.From("gold")), ("phone", Value.From("+1")))));
        stores.Profiles.Save(Profile.Empty("u").Merge(Traits(("tier", Value.From("vip")))));

        var found = stores.Profiles.Find("u")!;
        Assert.Equal("vip", found.Trait("tier").AsString);
        Assert.True(found.Trait("phone").IsMissing);
    }

    [Fact]
    public void History_keeps_each_users_events_in_arrival_order_with_sequences_from_one()
    {
        var stores = CreateStores();
        Assert.Empty(stores.History.Get("u-1"));

        var first = stores.History.Append("u-1", "Viewed", T0, Traits(("sku", Value.From("A"))));
        stores.History.Append("u-2", "Viewed", T0, Traits());
        var second = stores.History.Append("u-1", "Purchase", T0.AddMinutes(-5), Traits(("price", Value.From(120))));

        Assert.Equal(1, first.Sequence);
        Assert.Equal(2, second.Sequence);
        var history = stores.History.Get("u-1");
        Assert.Equal(["Viewed", "Purchase"], history.Select(h => h.Event));
        Assert.Equal([1L, 2L], history.Select(h => h.Sequence));
        Assert.Equal(T0.AddMinutes(-5), history[1].Timestamp);
        Assert.Equal(120, history[1].Properties["price"].AsNumber);
        Assert.Single(stores.History.Get("u-2"));
    }

    [Fact]
    public void A_message_id_is_new_once()
    {
        var stores = CreateStores();

        Assert.True(stores.Dedupe.TryAdd("m-1"));
        Assert.False(stores.Dedupe.TryAdd("m-1"));
        Assert.True(stores.Dedupe.TryAdd("M-1"));
    }

    [Fact]
    public void Active_enrollments_are_found_by_user_and_journey_until_they_end()
    {
        var stores = CreateStores();
        stores.Enrollments.Save(Enrollment("cart", "u-1", 1));
        stores.Enrollments.Save(Enrollment("welcome", "u-1", 1));
        stores.Enrollments.Save(Enrollment("cart", "u-2", 3));

        Assert.Equal("cart:u-1:1", stores.Enrollments.FindActive("cart", "u-1")!.EnrollmentId);
        Assert.Equal(["cart:u-1:1", "welcome:u-1:1"], stores.Enrollments.ActiveFor("u-1").Select(e => e.EnrollmentId));
        Assert.Equal(["cart:u-1:1", "cart:u-2:3"], stores.Enrollments.ActiveIn("cart").Select(e => e.EnrollmentId));

        stores.Enrollments.Save(Enrollment("cart", "u-1", 1, EnrollmentStatus.Completed));

        Assert.Null(stores.Enrollments.FindActive("cart", "u-1"));
        Assert.Equal(["welcome:u-1:1"], stores.Enrollments.ActiveFor("u-1").Select(e => e.EnrollmentId));
        Assert.Equal(EnrollmentStatus.Completed, stores.Enrollments.Get("cart:u-1:1")!.Status);
        Assert.Null(stores.Enrollments.Get("cart:u-9:1"));
    }

    [Fact]
    public void Saving_an_enrollment_again_replaces_its_state()
    {
        var stores = CreateStores();
        stores.Enrollments.Save(Enrollment("cart", "u-1", 1));
        stores.Enrollments.Save(Enrollment("cart", "u-1", 1) with { Step = "remind", StepsTaken = 3 });

        var active = Assert.Single(stores.Enrollments.ActiveFor("u-1"));
        Assert.Equal("remind", active.Step);
        Assert.Equal(3, stores.Enrollments.Get("cart:u-1:1")!.StepsTaken);
    }

    [Fact]
    public void The_entry_ledger_keeps_entries_per_journey_and_user_in_order()
    {
        var stores = CreateStores();
        Assert.Empty(stores.Entries.Entries("cart", "u-1"));

        stores.Entries.Record("cart", "u-1", T0);
        stores.Entries.Record("cart", "u-2", T0);
        stores.Entries.Record("cart", "u-1", T0.AddDays(2));

        Assert.Equal([T0, T0.AddDays(2)], stores.Entries.Entries("cart", "u-1"));
        Assert.Empty(stores.Entries.Entries("welcome", "u-1"));
    }

    [Fact]
    public void Segment_membership_turns_on_and_off_per_user()
    {
        var stores = CreateStores();
        Assert.Empty(stores.Memberships.SegmentsOf("u-1"));

        stores.Memberships.Set("vip", "u-1", true);
        stores.Memberships.Set("lapsed", "u-1", true);
        stores.Memberships.Set("vip", "u-2", true);
        stores.Memberships.Set("lapsed", "u-1", false);

        Assert.Equal(["vip"], stores.Memberships.SegmentsOf("u-1").Order(StringComparer.Ordinal));
        Assert.Contains("vip", stores.Memberships.SegmentsOf("u-2"));
        stores.Memberships.Set("vip", "u-3", false);
        Assert.Empty(stores.Memberships.SegmentsOf("u-3"));
    }

    [Fact]
    public void Timers_come_due_in_time_order_and_equal_times_in_scheduling_order()
    {
        var stores = CreateStores();
        stores.Timers.Schedule(new DueItem(T0.AddHours(2), "b", null));
        stores.Timers.Schedule(new DueItem(T0.AddHours(1), "a", null));
        stores.Timers.Schedule(new DueItem(T0.AddHours(2), null, "weekly"));
        stores.Timers.Schedule(new DueItem(T0.AddHours(2), "c", null));

        Assert.Equal(T0.AddHours(1), stores.Timers.NextDue);
        Assert.False(stores.Timers.TryTakeDue(T0.AddMinutes(59), out _));

        var taken = new List<string>();
        while (stores.Timers.TryTakeDue(T0.AddHours(2), out var item))
        {
            taken.Add(item.EnrollmentId ?? item.JourneyId!);
        }

        Assert.Equal(["a", "b", "weekly", "c"], taken);
        Assert.Null(stores.Timers.NextDue);
    }

    [Fact]
    public void A_pending_scheduled_run_is_known_until_it_is_taken()
    {
        var stores = CreateStores();
        stores.Timers.Schedule(new DueItem(T0, "cart:u-1:1", null));
        Assert.False(stores.Timers.HasScheduledRun("weekly"));

        stores.Timers.Schedule(new DueItem(T0.AddHours(1), null, "weekly"));

        Assert.True(stores.Timers.HasScheduledRun("weekly"));
        Assert.False(stores.Timers.HasScheduledRun("daily"));
        while (stores.Timers.TryTakeDue(T0.AddHours(1), out _))
        {
        }
        Assert.False(stores.Timers.HasScheduledRun("weekly"));
    }

    [Fact]
    public void The_send_log_counts_messages_after_an_instant()
    {
        var stores = CreateStores();
        stores.Sends.Record("u-1", T0);
        stores.Sends.Record("u-1", T0.AddHours(1));
        stores.Sends.Record("u-2", T0.AddHours(1));

        Assert.Equal(2, stores.Sends.CountSince("u-1", T0.AddSeconds(-1)));
        Assert.Equal(1, stores.Sends.CountSince("u-1", T0));
        Assert.Equal(0, stores.Sends.CountSince("u-3", T0));
    }
}
