using DeviceTest.Hardware.Keyboards;

namespace DeviceTest.Hardware.Tests.Keyboards;

/// <summary>Key names and the US keymap: what is pressed for a name or a character, and the errors for what is not a key.</summary>
[TestClass]
public sealed class KeyboardMapTests
{
    [TestMethod]
    public void Combinations_and_aliases_become_qcodes()
    {
        Assert.AreEqual("ctrl-alt-delete", KeyCombo.Parse("ctrl-alt-delete").ToString());
        Assert.AreEqual("ret", KeyCombo.Parse("Enter").ToString());
        Assert.AreEqual("meta_l-l", KeyCombo.Parse("super-l").ToString());
        Assert.AreEqual("shift-f10", KeyCombo.Parse(" shift-F10 ").ToString());
    }

    [TestMethod]
    public void An_unknown_key_name_says_which_and_lists_the_known_ones()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => KeyCombo.Parse("ctlr-alt-delete"));

        StringAssert.Contains(error.Message, "unknown key `ctlr` in `ctlr-alt-delete`; did you mean `ctrl`? Known keys: a-z");
        StringAssert.Contains(error.Message, "Known keys: a-z, 0-9, f1-f12, kp_0-kp_9, shift");
        StringAssert.Contains(error.Message, "aliases: ");
        Assert.IsFalse(KeyCombo.TryParse("ctrl--c", out _, out var empty));
        StringAssert.Contains(empty, "the '-' key itself is `minus`");
    }

    [TestMethod]
    public void Text_is_typed_with_shift_for_capitals_and_shifted_symbols_and_enter_for_newlines()
    {
        var keys = UsKeymap.Map("Hi! $(a*b)>\"x\"\r\n\t~").Select(k => k.ToString()).ToList();

        CollectionAssert.AreEqual(
            new[]
            {
                "shift-h", "i", "shift-1", "spc", "shift-4", "shift-9", "a", "shift-8", "b", "shift-0", "shift-dot",
                "shift-apostrophe", "x", "shift-apostrophe", "ret", "tab", "shift-grave_accent",
            },
            keys);
    }

    [TestMethod]
    public void A_character_without_a_us_key_is_refused_with_its_place()
    {
        var error = Assert.ThrowsExactly<ArgumentException>(() => UsKeymap.Map("ok é"));

        StringAssert.Contains(error.Message, "character 4 of the text, 'é' (U+00E9), has no key on a US keyboard");
        Assert.IsNull(UsKeymap.FindUntypable("plain ASCII\n"));
    }
}
