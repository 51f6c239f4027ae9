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
    public void Removes_escapes_and_control_characters(string input, string expected)
    {
        var output = new StringBuilder();
        new ConsoleTextFilter().Filter(input, output);
        Assert.AreEqual(expected, output.ToString());
    }

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
}
