using Journeys.Core.Audience;
using Journeys.Core.Runtime;
using Journeys.Core.Tests.Support;

namespace Journeys.Core.Tests.Orchestration;

public sealed class ScheduledEntriesTests
{
    private sealed class Marks : IScheduleStore
    {
        public Dictionary<string, ScheduleMark> Rows { get; } = [];

        public ScheduleMark? Get(string journeyId) => Rows.GetValueOrDefault(journeyId);

        public void Set(string journeyId, ScheduleMark mark) => Rows[journeyId] = mark;
    }

    [Fact]
    public void A_due_run_enrolls_once_per_tick_and_records_the_next_run_on_the_grid()
    {
        var harness = AzureHarness.FromJson([
            """{"id":"weekly","entry":{"schedule":{"at":"2026-12-07T09:00:00Z","every":"P7D"}},"reentry":{"mode":"multiple"},"start":"s","steps":{"s":{"type":"exit"}}}""",
        ]);
        harness.Ingestor.Ingest(EventParser.Parse(Events.Identify("m1", "u1", Times.At("09:00"), new { email = "a@example.com" })).Event!, Times.At("09:00"));
        var marks = new Marks();
        var schedules = new ScheduledEntries(() => harness.Definitions, marks, harness.Ingestor);

        Assert.Empty(schedules.RunDue(Times.At("+5d 09:00")));
        Assert.Equal(["weekly"], schedules.RunDue(Times.At("+6d 09:01")));
        Assert.Empty(schedules.RunDue(Times.At("+6d 09:02")));
        // two weeks without a tick: one run, and the next stays on the Monday 09:00 grid
        Assert.Equal(["weekly"], schedules.RunDue(Times.At("+21d 10:00")));

        Assert.Equal(Times.At("+27d 09:00"), marks.Rows["weekly"].Next);
        TraceText.Equal(
            ["+6d 09:01 u1 weekly entered", "+6d 09:01 u1 weekly exited step", "+21d 10:00 u1 weekly entered", "+21d 10:00 u1 weekly exited step"],
            harness.Trace);
    }

    [Fact]
    public void A_schedule_whose_window_closed_ends()
    {
        var harness = AzureHarness.FromJson([
            """{"id":"sale","entry":{"schedule":{"at":"2026-12-07T09:00:00Z","every":"P1D"}},"window":{"until":"2026-12-08T00:00:00Z"},"reentry":{"mode":"multiple"},"start":"s","steps":{"s":{"type":"exit"}}}""",
        ]);
        var marks = new Marks();
        var schedules = new ScheduledEntries(() => harness.Definitions, marks, harness.Ingestor);

        Assert.Empty(schedules.RunDue(Times.At("+9d 09:00")));
        Assert.Null(marks.Rows["sale"].Next);
    }
}
