using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Keyboards;

/// <summary>
/// The key names a keyboard knows: QEMU's qcodes (what <c>send-key</c> and openQA's <c>send_key</c> use) and a few
/// aliases (<c>enter</c> for <c>ret</c>, <c>space</c> for <c>spc</c>, <c>escape</c>, <c>del</c>, <c>pageup</c>,
/// <c>super</c>...). Names are case-insensitive; a key command gets the qcode.
/// </summary>
public static class KeyNames
{
    private static readonly string[] Modifiers = ["shift", "shift_r", "ctrl", "ctrl_r", "alt", "alt_r", "meta_l", "meta_r", "menu"];

    private static readonly string[] Named =
    [
        "esc", "ret", "spc", "tab", "backspace", "caps_lock", "num_lock", "scroll_lock",
        "minus", "equal", "bracket_left", "bracket_right", "backslash", "semicolon", "apostrophe", "grave_accent",
        "comma", "dot", "slash", "less", "asterisk",
        "insert", "delete", "home", "end", "pgup", "pgdn", "up", "down", "left", "right",
        "print", "sysrq", "pause", "power", "sleep", "wake", "audiomute", "volumeup", "volumedown",
        "kp_divide", "kp_multiply", "kp_subtract", "kp_add", "kp_enter", "kp_decimal",
    ];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["enter"] = "ret",
        ["return"] = "ret",
        ["space"] = "spc",
        ["escape"] = "esc",
        ["del"] = "delete",
        ["ins"] = "insert",
        ["pageup"] = "pgup",
        ["pagedown"] = "pgdn",
        ["control"] = "ctrl",
        ["super"] = "meta_l",
        ["win"] = "meta_l",
        ["meta"] = "meta_l",
        ["printscreen"] = "print",
        ["capslock"] = "caps_lock",
    };

    // Plain Dictionary/HashSet rather than the Frozen collections: these few lookups do not need them, and the Frozen
    // collections brought 60 KB of System.Collections.Immutable into the native devicetest (docs/native.md).
    private static readonly string[] QcodeList = [.. Modifiers
        .Concat(Named)
        .Concat(Enumerable.Range('a', 26).Select(c => ((char)c).ToString()))
        .Concat(Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .Concat(Enumerable.Range(1, 12).Select(n => "f" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        .Concat(Enumerable.Range(0, 10).Select(n => "kp_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static readonly HashSet<string> Qcodes = new(QcodeList, StringComparer.Ordinal);

    /// <summary>Every name, for messages: "a-z, 0-9, f1-f12, kp_0-kp_9, shift, ..., and the aliases enter, ...".</summary>
    public static string Known { get; } =
        "a-z, 0-9, f1-f12, kp_0-kp_9, " + string.Join(", ", Modifiers.Concat(Named)) + "; aliases: " + string.Join(", ", Aliases.Keys.Order(StringComparer.Ordinal));

    /// <summary>True for the keys that are held while the others are pressed (shift, ctrl, alt, meta...).</summary>
    public static bool IsModifier(string qcode) => Modifiers.Contains(qcode, StringComparer.Ordinal);

    /// <summary>The qcode of <paramref name="name"/> (a qcode or an alias, any case), or null when it is not a key.</summary>
    public static string? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.Trim().ToLowerInvariant();
        return Qcodes.Contains(lower) ? lower : Aliases.GetValueOrDefault(lower);
    }

    /// <summary>"unknown key `ctlr`; did you mean `ctrl`? Known keys: ..." for a name <see cref="Find"/> does not know.</summary>
    public static string Unknown(string name, string? inCombination = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var where = inCombination is null || inCombination == name ? string.Empty : $" in `{inCombination}`";
        var suggestion = KeySuggestion.Closest(name.ToLowerInvariant(), QcodeList.Concat(Aliases.Keys));
        var hint = suggestion is null ? "." : $"; did you mean `{suggestion}`?";
        return $"unknown key `{name}`{where}{hint} Known keys: {Known} (join keys pressed together with '-', e.g. ctrl-alt-delete)";
    }
}
