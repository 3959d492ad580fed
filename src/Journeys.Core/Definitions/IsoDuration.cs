using System.Globalization;
using System.Text;

namespace Journeys.Core.Definitions;

/// <summary>
/// An ISO 8601 duration (<c>P1Y2M3W4DT5H6M7S</c>). Years and months are calendar units, so a
/// duration is applied to an instant rather than converted to a fixed <see cref="TimeSpan"/>.
/// </summary>
public readonly record struct IsoDuration(int Months, int Days, TimeSpan Time)
{
    public bool IsPositive => Approximate > TimeSpan.Zero;

    /// <summary>For comparisons only (validation): a month counts as 30 days.</summary>
    public TimeSpan Approximate => TimeSpan.FromDays(Months * 30.0 + Days) + Time;

    // Without months the duration is a fixed span: one addition instead of three calendar operations
    // (history windows compute this on every evaluation).
    public DateTimeOffset AddTo(DateTimeOffset instant) =>
        Months == 0 ? instant.Add(TimeSpan.FromDays(Days) + Time) : instant.AddMonths(Months).AddDays(Days).Add(Time);

    public DateTimeOffset SubtractFrom(DateTimeOffset instant) =>
        Months == 0 ? instant.Subtract(TimeSpan.FromDays(Days) + Time) : instant.AddMonths(-Months).AddDays(-Days).Subtract(Time);

    public DateOnly AddTo(DateOnly date) => date.AddMonths(Months).AddDays(Days + (int)Math.Floor(Time.TotalDays));

    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text.Length < 3 || text[0] != 'P')
        {
            return false;
        }
        int months = 0, days = 0;
        var time = TimeSpan.Zero;
        var inTime = false;
        var sawUnit = false;
        var lastRank = -1;
        var i = 1;
        while (i < text.Length)
        {
            if (text[i] == 'T')
            {
                if (inTime || i == text.Length - 1)
                {
                    return false;
                }
                inTime = true;
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }
            if (i == start || i == text.Length)
            {
                return false;
            }
            if (!double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n > 1_000_000)
            {
                return false;
            }
            var unit = text[i++];
            // units appear at most once, largest first: P1D2H and PT1H1H are not durations
            var rank = (inTime ? "HMS" : "YMWD").IndexOf(unit) + (inTime ? 4 : 0);
            if (rank < (inTime ? 4 : 0) || rank <= lastRank)
            {
                return false;
            }
            lastRank = rank;
            var whole = n == Math.Floor(n);
            switch (inTime, unit)
            {
                case (false, 'Y') when whole: months += (int)n * 12; break;
                case (false, 'M') when whole: months += (int)n; break;
                case (false, 'W') when whole: days += (int)n * 7; break;
                case (false, 'D') when whole: days += (int)n; break;
                case (true, 'H'): time += TimeSpan.FromHours(n); break;
                case (true, 'M'): time += TimeSpan.FromMinutes(n); break;
                case (true, 'S'): time += TimeSpan.FromSeconds(n); break;
                default: return false;
            }
            sawUnit = true;
        }
        if (!sawUnit)
        {
            return false;
        }
        duration = new IsoDuration(months, days, time);
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("P");
        if (Months != 0) sb.Append(CultureInfo.InvariantCulture, $"{Months}M");
        if (Days != 0) sb.Append(CultureInfo.InvariantCulture, $"{Days}D");
        if (Time != TimeSpan.Zero)
        {
            sb.Append('T');
            if (Time.Hours + Time.Days * 24 != 0) sb.Append(CultureInfo.InvariantCulture, $"{(int)Time.TotalHours}H");
            if (Time.Minutes != 0) sb.Append(CultureInfo.InvariantCulture, $"{Time.Minutes}M");
            if (Time.Seconds != 0 || Time.Milliseconds != 0) sb.Append(CultureInfo.InvariantCulture, $"{Time.Seconds + Time.Milliseconds / 1000.0}S");
        }
        return sb.Length == 1 ? "PT0S" : sb.ToString();
    }
}
