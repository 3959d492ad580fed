using System.Text;

namespace Journeys.Functions.Storage;

/// <summary>
/// Ids as Table keys: '/', '\', '#', '?' and control characters are not allowed in keys, and '|'
/// separates the parts of ours, so those (and '%') are percent-encoded. Ordinal order is kept for ids
/// made of ordinary characters.
/// </summary>
internal static class KeyText
{
    public static string Escape(string id)
    {
        var plain = true;
        foreach (var c in id)
        {
            if (NeedsEscape(c))
            {
                plain = false;
                break;
            }
        }
        if (plain)
        {
            return id;
        }
        var text = new StringBuilder(id.Length + 8);
        foreach (var c in id)
        {
            if (NeedsEscape(c))
            {
                foreach (var b in Encoding.UTF8.GetBytes(c.ToString()))
                {
                    text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    public static string Unescape(string key) => key.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(key) : key;

    /// <summary>An OData string literal (single quotes doubled).</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '|' or '%' || char.IsControl(c);
}
