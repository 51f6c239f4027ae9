using System.Text;
using DeviceTest.Hardware.Consoles;

namespace DeviceTest.Hardware.Tests.Consoles;

[TestClass]
public sealed class ConsoleTextFilterTests
{
    [TestMethod]
    [DataRow("\u001b[1;31mred\u001b[0m\r\n", "red\n")]
    [DataRow("a\u001b]0;window title\u0007b", "ab")]
    [DataRow("a\u001b]0;title\u001b\\b", "ab")]
    [DataRow("x\u001b(By", "xy")]
    [DataRow("x\u001b7y\u001b8z", "xyz")]
    [DataRow("bell\u0007\0done", "belldone")]
    [DataRow("\u001b]unterminated\nnext", "\nnext")]
    public void Removes_escapes_and_control_characters(string input, string expected) =>
        Assert.AreEqual(expected, Filtered(input));

    [TestMethod]
    [DataRow("a\u001b\u001e\nb", "a\u001e\nb")]
    [DataRow("a\u001b(\u001e\nb", "a\u001e\nb")]
    [DataRow("a\u001b]title\u001e\nb", "a\u001e\nb")]
    [DataRow("a\u001b[1;\tb", "a\tb")]
    public void A_control_character_ends_an_unfinished_sequence_and_is_kept(string input, string expected) =>
        Assert.AreEqual(expected, Filtered(input), "output that ends in garbage cannot swallow the record separator that starts a console shell's end marker");

    [TestMethod]
    public void Sequences_split_across_chunks_are_removed()
    {
        var filter = new ConsoleTextFilter();
        var output = new StringBuilder();
        filter.Filter("a\u001b[", output);
        filter.Filter("32", output);
        filter.Filter("mb", output);
        Assert.AreEqual("ab", output.ToString());
    }

    private static string Filtered(string input)
    {
        var output = new StringBuilder();
        new ConsoleTextFilter().Filter(input, output);
        return output.ToString();
    }
}
