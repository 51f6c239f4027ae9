using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DeviceTest.Framework.Results.Writing;

/// <summary>
/// Makes any text safe for an XML 1.0 document. Device output carries terminal colour codes, NUL bytes and other
/// control characters that XML cannot hold; a result file must parse whatever a device printed.
/// </summary>
internal static class XmlText
{
    /// <summary>
    /// Removes ANSI escape sequences (colours, cursor moves) and replaces every character XML 1.0 cannot hold
    /// (control characters, lone surrogates, U+FFFE/U+FFFF) with a visible <c>\uXXXX</c> so nothing is silently lost.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Contains('\u001B', StringComparison.Ordinal))
        {
            text = AnsiEscape.Replace(text, string.Empty);
        }

        var firstBad = FirstInvalid(text);
        if (firstBad < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (IsXmlChar(c))
            {
                builder.Append(c);
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Cleans and escapes text for use inside a double-quoted attribute of a hand-written tag.</summary>
    public static string Attribute(string? text)
    {
        var clean = Clean(text);
        var builder = new StringBuilder(clean.Length + 8);
        foreach (var c in clean)
        {
            _ = c switch
            {
                '&' => builder.Append("&amp;"),
                '<' => builder.Append("&lt;"),
                '>' => builder.Append("&gt;"),
                '"' => builder.Append("&quot;"),
                '\n' => builder.Append("&#xA;"),
                '\r' => builder.Append("&#xD;"),
                '\t' => builder.Append("&#x9;"),
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    private static int FirstInvalid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsXmlChar(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return i;
        }

        return -1;
    }

    // XML 1.0 Char production without the surrogate range, which is handled as pairs above.
    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' or (>= '\u0020' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD');

    // CSI sequences (ESC [ ... final byte), OSC sequences (ESC ] ... BEL or ESC \), and two-byte escapes.
    private static readonly Regex AnsiEscape = new(@"\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)?|[@-Z\\-_])");
}
