using DeviceTest.Hardware.Yaml;

namespace DeviceTest.Hardware.Tests.Yaml;

/// <summary>Durations as users write them (specs, devices.yml, runsettings, attributes) and as messages show them.</summary>
[TestClass]
public sealed class DurationTextTests
{
    [TestMethod]
    [DataRow("90s", 90_000)]
    [DataRow("5m", 300_000)]
    [DataRow("1h30m", 5_400_000)]
    [DataRow("1h", 3_600_000)]
    [DataRow("1m30s", 90_000)]
    [DataRow("2m5s", 125_000)]
    [DataRow("1h0m1s", 3_601_000)]
    [DataRow("250ms", 250)]
    [DataRow("01:02:03", 3_723_000)]
    [DataRow("01:30:00", 5_400_000)]
    [DataRow("100:00:01", 360_001_000)]
    [DataRow("90", 90_000)]
    [DataRow(" 30s ", 30_000)]
    [DataRow("0s", 0)]
    public void Reads_the_documented_forms(string text, long milliseconds)
    {
        Assert.IsTrue(DurationText.TryParse(text, out var duration));
        Assert.AreEqual(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("s")]
    [DataRow("5 m")]
    [DataRow("1m1h")]
    [DataRow("1.5s")]
    [DataRow("-5s")]
    [DataRow("10:60:00")]
    [DataRow("1:2:3")]
    [DataRow("5d")]
    [DataRow("99999999999999999999s")]
    public void Rejects_other_text(string text) => Assert.IsFalse(DurationText.TryParse(text, out _));

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
    [DataRow(0, "0s")]
    [DataRow(-1_000, "0s")]
    [DataRow(500, "500ms")]
    [DataRow(1_500, "1.5s")]
    [DataRow(30_000, "30s")]
    [DataRow(60_000, "60s")]
    [DataRow(90_000, "90s")]
    [DataRow(120_000, "2m")]
    [DataRow(125_000, "2m5s")]
    [DataRow(300_000, "5m")]
    [DataRow(3_600_000, "1h")]
    [DataRow(5_400_000, "1h30m")]
    public void Messages_write_seconds_under_two_minutes_and_units_above(long milliseconds, string expected) =>
        Assert.AreEqual(expected, DurationText.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [TestMethod]
    [DataRow("250ms")]
    [DataRow("90s")]
    [DataRow("2m5s")]
    [DataRow("1h30m")]
    [DataRow("100h")]
    public void What_is_written_reads_back(string text)
    {
        Assert.IsTrue(DurationText.TryParse(text, out var duration));
        Assert.AreEqual(text, DurationText.Format(duration));
    }
}
