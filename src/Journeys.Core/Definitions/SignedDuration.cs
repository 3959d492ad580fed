namespace Journeys.Core.Definitions;

/// <summary>An ISO 8601 duration with a sign (<c>-P3D</c>, <c>+PT2H</c>, <c>P1D</c>); the default is zero.</summary>
public readonly record struct SignedDuration(IsoDuration Magnitude, bool Negative)
{
    public DateTimeOffset AddTo(DateTimeOffset instant) =>
        Magnitude == default ? instant : Negative ? Magnitude.SubtractFrom(instant) : Magnitude.AddTo(instant);

    public static bool TryParse(string? text, out SignedDuration duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        var negative = text[0] == '-';
        var body = text[0] is '-' or '+' ? text[1..] : text;
        if (!IsoDuration.TryParse(body, out var magnitude))
        {
            return false;
        }
        duration = new SignedDuration(magnitude, negative);
        return true;
    }

    public override string ToString() => Magnitude == default ? "PT0S" : (Negative ? "-" : "") + Magnitude;
}
