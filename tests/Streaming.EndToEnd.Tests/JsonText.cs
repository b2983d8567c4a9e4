using System.Globalization;
using System.Text;

namespace Streaming.EndToEnd.Tests;

/// <summary>
/// JSON literals written by hand rather than by a serializer, so that the corpus controls what producers vary:
/// escaped or raw non-ASCII, <c>\/</c>, and number spellings (a serializer would pick one form of each).
/// </summary>
internal static class JsonText
{
    /// <summary>A string literal; with <paramref name="escapeNonAscii"/> every non-ASCII UTF-16 unit is written as <c>\uXXXX</c> (so emoji become surrogate pair escapes) and <c>/</c> as <c>\/</c>.</summary>
    public static string String(string value, bool escapeNonAscii)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '/' when escapeNonAscii:
                    text.Append("\\/");
                    break;
                case < ' ':
                    text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                case > '~' when escapeNonAscii:
                    // Upper and lower case hex digits are both valid; producers use either.
                    text.Append("\\u").Append(((int)c).ToString((c & 1) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        return text.Append('"').ToString();
    }

    public static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Boolean(bool value) => value ? "true" : "false";

    /// <summary>
    /// A number that always has a fraction or an exponent, so that the column it creates is a double whatever
    /// its value: a whole value written as <c>3</c> would create a bigint column in one event and a double in another.
    /// </summary>
    public static string Double(double value, int style) => (style % 4) switch
    {
        0 => value.ToString("0.0##", CultureInfo.InvariantCulture),
        1 => value.ToString("0.0####e+0", CultureInfo.InvariantCulture),
        2 => value.ToString("0.0##E-0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.0#########", CultureInfo.InvariantCulture),
    };
}
