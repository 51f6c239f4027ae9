namespace DeviceTest.Hardware.Keyboards;

/// <summary>Keys pressed together and released, e.g. <c>ctrl-alt-delete</c>, as qcodes in the order they go down.</summary>
public sealed class KeyCombo
{
    private KeyCombo(IReadOnlyList<string> keys)
    {
        Keys = keys;
    }

    /// <summary>The qcodes, in the order they are pressed.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>One key or a combination of keys joined with '-' (<c>ctrl-alt-delete</c>, <c>shift-a</c>, <c>ret</c>).</summary>
    /// <exception cref="ArgumentException">A name is not a key; the message lists the known ones.</exception>
    public static KeyCombo Parse(string text)
    {
        if (TryParse(text, out var combo, out var error))
        {
            return combo;
        }

        throw new ArgumentException(error, nameof(text));
    }

    /// <summary>Parses <paramref name="text"/>, or says what is wrong with it.</summary>
    public static bool TryParse(string text, out KeyCombo combo, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        combo = new KeyCombo([]);
        var names = text.Trim().Split('-');
        if (text.Trim().Length == 0 || names.Any(n => n.Trim().Length == 0))
        {
            error = $"`{text}` is not a key: name one key (ret, a, f1...) or keys joined with '-' (ctrl-alt-delete); the '-' key itself is `minus`";
            return false;
        }

        var keys = new List<string>();
        foreach (var name in names)
        {
            if (KeyNames.Find(name) is not { } qcode)
            {
                error = KeyNames.Unknown(name.Trim(), text.Trim());
                return false;
            }

            keys.Add(qcode);
        }

        combo = new KeyCombo(keys);
        error = string.Empty;
        return true;
    }

    internal static KeyCombo Of(params string[] qcodes) => new(qcodes);

    /// <summary>The qcodes joined with '-': what a key command gets as <c>{key}</c>.</summary>
    public override string ToString() => string.Join('-', Keys);
}
