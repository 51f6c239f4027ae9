using System.Text;

namespace DeviceTest.TestAdapter.Discovery;

/// <summary>
/// Turns spec and test names into name segments for fully qualified names: ASCII letters, digits and '_' only, so
/// that TRX (class = before the last dot) and JUnit parsers (<c>^([a-z0-9_.]+)\.([a-z0-9_.+]+)\.(.+)$</c>) split
/// <c>DeviceTest.Specs.&lt;spec&gt;.&lt;test&gt;</c> into class <c>DeviceTest.Specs.&lt;spec&gt;</c> and name <c>&lt;test&gt;</c>.
/// </summary>
internal static class TestNames
{
    /// <summary>A segment: runs of other characters become one '_'; never empty; never starts with a digit.</summary>
    public static string Segment(string text)
    {
        var builder = new StringBuilder(text.Length + 1);
        var pendingUnderscore = false;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                if (pendingUnderscore && builder.Length > 0)
                {
                    builder.Append('_');
                }

                pendingUnderscore = false;
                builder.Append(c);
            }
            else
            {
                pendingUnderscore = true;
            }
        }

        if (builder.Length == 0)
        {
            return "_";
        }

        if (char.IsAsciiDigit(builder[0]))
        {
            builder.Insert(0, '_');
        }

        return builder.ToString();
    }
}
