using Journeys.Core.Engine;
using Journeys.Core.Runtime;
using Journeys.Core.Runtime.InMemory;

namespace Journeys.Core.Tests.Runtime;

/// <summary>The sort keys of a partitioned replay order things as one run over all users does.</summary>
public sealed class ReplayOrderTests
{
    private static readonly DateTimeOffset T = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void In_a_scheduled_run_keys_follow_the_users_in_ordinal_order()
    {
        var order = new ReplayOrder(_ => null);
        order.Schedule(new DueItem(T, null, "weekly"));
        Assert.True(order.TryTakeDue(T, out _));
        // ordinal: a prefix first, then by UTF-16 unit (a surrogate sorts below U+FFFF, unlike in UTF-8 byte order)
        string[] users = ["", "a", "ab", "b", "\uD83D\uDE00", "\uFFFF"];
        var keys = users.Reverse().Select(u => (User: u, Key: order.Next(u))).ToList();

        var sorted = keys.Order(Comparer<(string User, byte[] Key)>.Create((x, y) => ReplayOrder.Compare(x.Key, y.Key))).Select(k => k.User);

        Assert.Equal(users.Order(StringComparer.Ordinal), sorted);
    }

    [Fact]
    public void Timers_due_at_one_instant_come_in_the_order_they_were_scheduled_and_before_that_instant_s_events()
    {
        var order = new ReplayOrder(_ => null);
        order.BeginEvent(T, 5);
        var eventKey = order.Next(null);
        order.Schedule(new DueItem(T.AddHours(1), "e-1", null));
        order.BeginEvent(T, 9);
        order.Schedule(new DueItem(T.AddHours(1), "e-2", null));
        order.BeginEvent(T.AddHours(1), 10);
        var laterEvent = order.Next(null);

        Assert.True(order.TryTakeDue(T.AddHours(1), out var first));
        var firstKey = order.Next(null);
        Assert.True(order.TryTakeDue(T.AddHours(1), out var second));
        var secondKey = order.Next(null);

        Assert.Equal(("e-1", "e-2"), (first.EnrollmentId, second.EnrollmentId));
        Assert.True(ReplayOrder.Compare(eventKey, firstKey) < 0);
        Assert.True(ReplayOrder.Compare(firstKey, secondKey) < 0);
        Assert.True(ReplayOrder.Compare(secondKey, laterEvent) < 0, "a timer due at an event's instant fires before it");
        Assert.Null(order.Unreproducible);
    }

    [Fact]
    public void A_timer_due_before_the_step_that_schedules_it_is_reported()
    {
        var order = new ReplayOrder(_ => null);
        order.BeginEvent(T, 1);

        order.Schedule(new DueItem(T.AddMinutes(-1), "e-1", null));

        Assert.NotNull(order.Unreproducible);
    }

    [Fact]
    public void The_replay_stores_forget_a_finished_enrollment_but_keep_its_entries()
    {
        var stores = InMemoryStores.ForReplay();
        var active = new EnrollmentState { EnrollmentId = "j:u-1:1", JourneyId = "j", Version = 1, UserId = "u-1", EntryNo = 1, EnteredAt = T };
        stores.Enrollments.Save(active);
        stores.Entries.Record("j", "u-1", T);
        Assert.Same(active, stores.Enrollments.Get("j:u-1:1"));

        stores.Enrollments.Save(active with { Status = EnrollmentStatus.Completed });

        Assert.Null(stores.Enrollments.Get("j:u-1:1"));
        Assert.Empty(stores.Enrollments.ActiveFor("u-1"));
        Assert.Equal([T], stores.Entries.Entries("j", "u-1"));
        Assert.Empty(stores.Entries.Entries("j", "u-2"));
    }
}
