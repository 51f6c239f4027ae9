using System.Text;

namespace DeviceTest.Hardware;

/// <summary>Quotes words for a POSIX shell.</summary>
public static class ShellQuoting
{
    /// <summary>Returns <paramref name="word"/> so that a POSIX shell reads it back as one word, unchanged.</summary>
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length > 0 && word.All(IsSafe))
        {
            return word;
        }

        var builder = new StringBuilder(word.Length + 2);
        builder.Append('\'');
        foreach (var c in word)
        {
            if (c == '\'')
            {
                builder.Append("'\\''");
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('\'');
        return builder.ToString();
    }

    private static bool IsSafe(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',' or '+' or '@' or '%';
}
