using DeviceTest.Hardware.Configuration;

namespace DeviceTest.Hardware.Tests.Configuration;

[TestClass]
public sealed class DurationTextTests
{
    [TestMethod]
    [DataRow("90s", 90_000)]
    [DataRow("5m", 300_000)]
    [DataRow("1h30m", 5_400_000)]
    [DataRow("1m30s", 90_000)]
    [DataRow("250ms", 250)]
    [DataRow("01:02:03", 3_723_000)]
    [DataRow(" 30s ", 30_000)]
    public void Reads_the_documented_forms(string text, long milliseconds)
    {
        Assert.IsTrue(DurationText.TryParse(text, out var duration));
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("30")]
    [DataRow("soon")]
    [DataRow("5x")]
    [DataRow("s")]
    [DataRow("00:61:00")]
    [DataRow("-5s")]
    public void Rejects_other_text_where_a_unit_is_required(string text) => Assert.IsFalse(DurationText.TryParseWithUnit(text, out _));

    [TestMethod]
    public void Formats_like_it_reads()
    {
        Assert.AreEqual("30s", DurationText.Format(TimeSpan.FromSeconds(30)));
        Assert.AreEqual("5m", DurationText.Format(TimeSpan.FromMinutes(5)));
        Assert.AreEqual("1h30m", DurationText.Format(TimeSpan.FromMinutes(90)));
        Assert.AreEqual("1m30s", DurationText.Format(TimeSpan.FromSeconds(90)));
        Assert.AreEqual("500ms", DurationText.Format(TimeSpan.FromMilliseconds(500)));
    }
}
