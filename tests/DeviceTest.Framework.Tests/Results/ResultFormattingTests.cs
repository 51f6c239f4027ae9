using DeviceTest.Framework.Results.Writing;

namespace DeviceTest.Framework.Tests.Results;

[TestClass]
public sealed class ResultFormattingTests
{
    [TestMethod]
    [DataRow("smoke", "smoke")]
    [DataRow("my spec", "my_spec")]
    [DataRow("Lab.NetworkSuite", "Lab.NetworkSuite")]
    [DataRow("fio-network", "fio-network")]
    [DataRow(" .a..b. ", "a.b")]
    [DataRow("specs/boot:v2", "specs_boot_v2")]
    [DataRow("...", "DeviceTest")]
    public void Class_names_split_only_on_real_dots(string suite, string expected) =>
        Assert.AreEqual(expected, ResultNames.ClassName(suite));

    [TestMethod]
    [DataRow(0L, "00:00:00.0000000")]
    [DataRow(15_000_000L, "00:00:01.5000000")]
    [DataRow(36_000_000_000L * 25, "25:00:00.0000000")]
    [DataRow(36_000_000_000L * 1000, "99:59:59.9999999")]
    [DataRow(-5L, "00:00:00.0000000")]
    public void Trx_durations_have_the_shape_every_reader_accepts(long ticks, string expected) =>
        Assert.AreEqual(expected, ResultFormat.TrxDuration(TimeSpan.FromTicks(ticks)));

    [TestMethod]
    public void Test_ids_are_stable_name_based_guids()
    {
        var id = TrxIds.ForTest("smoke.spec.yml/0/kernel");
        Assert.AreEqual(id, TrxIds.ForTest("smoke.spec.yml/0/kernel"));
        Assert.AreNotEqual(id, TrxIds.ForTest("smoke.spec.yml/1/kernel"));
        Assert.AreEqual(8, id.Version, "RFC 9562 version 8 (name-based, SHA-256)");
        Assert.AreEqual("e8d4e7e5-950e-8e4d-88fc-d34065112697", id.ToString(), "a fixed value (checked with Python uuid + hashlib): changing the derivation changes every test id users have");
    }

    [TestMethod]
    public void Text_keeps_valid_characters_and_makes_the_rest_visible()
    {
        Assert.AreEqual("tab\tnl\ncr\r é 😀", XmlText.Clean("tab\tnl\ncr\r é 😀"));
        Assert.AreEqual("\\u0000\\u001f\\ud800x\\udc00\\ufffe", XmlText.Clean("\0\u001f\ud800x\udc00\ufffe"));
        Assert.AreEqual("red bold", XmlText.Clean("\u001b[31mred\u001b[0m \u001b[1;4mbold\u001b[m"));
        Assert.AreEqual("title", XmlText.Clean("\u001b]0;window\u0007title"));
        Assert.AreEqual(string.Empty, XmlText.Clean(null));
    }
}
