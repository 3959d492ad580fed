using Journeys.Core.Engine;

namespace Journeys.Core.Tests.Support;

/// <summary>
/// A trace record as one short line: <c>"HH:mm user journey kind [step] [channel] [path] [reason] [until T]"</c>,
/// the time in <see cref="Times.Format"/>'s form, e.g. <c>"10:00 u1 j sent remind email"</c>,
/// <c>"+1d 09:00 u1 j suppressed s sms no-consent"</c>, <c>"10:00 u1 j rejected lock"</c>.
/// </summary>
public static class TraceText
{
    public static string Line(TraceRecord r)
    {
        var parts = new List<string>(8) { Times.Format(r.At), r.User, r.Journey, r.Kind };
        if (r.Step is not null) parts.Add(r.Step);
        if (r.Channel is not null) parts.Add(r.Channel);
        if (r.Path is not null) parts.Add(r.Path);
        if (r.Reason is not null) parts.Add(r.Reason);
        if (r.Until is { } until) parts.Add("until " + Times.Format(until));
        return string.Join(' ', parts);
    }

    public static void Equal(IEnumerable<string> expected, IEnumerable<TraceRecord> actual)
    {
        var want = expected.ToList();
        var got = actual.Select(Line).ToList();
        if (!want.SequenceEqual(got, StringComparer.Ordinal))
        {
            Assert.Fail("trace differs\n--- expected\n" + string.Join("\n", want) + "\n--- actual\n" + string.Join("\n", got));
        }
    }
}
