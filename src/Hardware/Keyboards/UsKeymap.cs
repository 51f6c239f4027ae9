using System.Globalization;

namespace DeviceTest.Hardware.Keyboards;

/// <summary>Which keys type a character on a US keyboard: <c>A</c> is shift-a, <c>!</c> is shift-1, <c>\n</c> is ret.</summary>
public static class UsKeymap
{
    private const string Shifted = "~!@#$%^&*()_+{}|:\"<>?";
    private const string Unshifted = "`1234567890-=[]\\;',./";

    private static readonly Dictionary<char, string> Punctuation = new()
    {
        ['`'] = "grave_accent",
        ['-'] = "minus",
        ['='] = "equal",
        ['['] = "bracket_left",
        [']'] = "bracket_right",
        ['\\'] = "backslash",
        [';'] = "semicolon",
        ['\''] = "apostrophe",
        [','] = "comma",
        ['.'] = "dot",
        ['/'] = "slash",
        [' '] = "spc",
        ['\n'] = "ret",
        ['\t'] = "tab",
    };

    /// <summary>The keys for <paramref name="c"/>, or null when a US keyboard has no key for it.</summary>
    public static KeyCombo? Find(char c)
    {
        if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
        {
            return KeyCombo.Of(c.ToString());
        }

        if (char.IsAsciiLetterUpper(c))
        {
            return KeyCombo.Of("shift", char.ToLowerInvariant(c).ToString());
        }

        var shifted = Shifted.IndexOf(c, StringComparison.Ordinal);
        if (shifted >= 0)
        {
            var plain = Unshifted[shifted];
            return KeyCombo.Of("shift", char.IsAsciiDigit(plain) ? plain.ToString() : Punctuation[plain]);
        }

        return Punctuation.TryGetValue(c, out var key) ? KeyCombo.Of(key) : null;
    }

    /// <summary>The keys that type <paramref name="text"/> (a <c>\r\n</c> is one Enter).</summary>
    /// <exception cref="ArgumentException">A character cannot be typed; the message says which and where.</exception>
    public static IReadOnlyList<KeyCombo> Map(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = new List<KeyCombo>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    continue;
                }

                c = '\n';
            }

            keys.Add(Find(c) ?? throw new ArgumentException(Untypable(text, i), nameof(text)));
        }

        return keys;
    }

    /// <summary>The first character of <paramref name="text"/> a US keyboard cannot type, described, or null when all can.</summary>
    public static string? FindUntypable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\r' && Find(text[i]) is null)
            {
                return Untypable(text, i);
            }
        }

        return null;
    }

    private static string Untypable(string text, int index) =>
        string.Create(CultureInfo.InvariantCulture,
            $"character {index + 1} of the text, '{text[index]}' (U+{(int)text[index]:X4}), has no key on a US keyboard; type ASCII text (\\n is Enter, \\t is Tab) or press the keys with PressAsync / `press:`");
}
