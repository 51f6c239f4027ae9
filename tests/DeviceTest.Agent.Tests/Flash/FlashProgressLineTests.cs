using DeviceTest.Agent.Progress;
using DeviceTest.Hardware.Flashing;

namespace DeviceTest.Agent.Tests.Flash;

/// <summary>What <c>devicetest flash</c> prints in a log (not a terminal): each step as a line, and bytes as plain lines.</summary>
[TestClass]
public sealed class FlashProgressLineTests
{
    private const long MiB = 1L << 20;

    [TestMethod]
    public void In_a_log_writing_with_a_known_size_is_one_line_per_tenth()
    {
        var output = new StringWriter();
        var progress = new FlashProgressLine(output, interactive: false);

        progress.Report(new FlashProgress { Stage = FlashStage.Write, Message = "writing os.wic to /dev/sdb" });
        for (var mib = 1; mib <= 100; mib++)
        {
            progress.Report(Bytes(mib * MiB, 100 * MiB, done: false));
        }

        progress.Report(Bytes(100 * MiB, 100 * MiB, done: true));

        var lines = Lines(output);
        Assert.AreEqual("  WRITE    writing os.wic to /dev/sdb", lines[0]);
        Assert.AreEqual(12, lines.Length, "the step, the first bytes, then each tenth (the end is the last one): " + string.Join("\n", lines));
        Assert.AreEqual("  WRITE    1.0 MiB / 100 MiB  50 MiB/s  0m01s left", lines[1]);
        Assert.AreEqual("  WRITE    10 MiB / 100 MiB  50 MiB/s  0m01s left", lines[2]);
        Assert.AreEqual("  WRITE    100 MiB / 100 MiB  50 MiB/s  0m00s left", lines[^1]);
        Assert.DoesNotContain("\r", output.ToString());
    }

    [TestMethod]
    public void In_a_log_writing_without_a_known_size_is_not_a_line_per_report()
    {
        var output = new StringWriter();
        var progress = new FlashProgressLine(output, interactive: false);

        for (var mib = 1; mib <= 50; mib++)
        {
            progress.Report(Bytes(mib * MiB, null, done: false));
        }

        progress.Report(Bytes(50 * MiB, null, done: true));

        // The first report, then one every 5 s (the loop takes far less), and the stage's last.
        CollectionAssert.AreEqual(new[] { "  WRITE    1.0 MiB  50 MiB/s", "  WRITE    50 MiB  50 MiB/s" }, Lines(output));
    }

    [TestMethod]
    public void The_step_stopped_by_ctrl_c_is_the_one_before_the_mux_went_back()
    {
        var progress = new FlashProgressLine(new StringWriter(), interactive: false);

        progress.Report(new FlashProgress { Stage = FlashStage.Write, Message = "writing" });
        progress.Report(new FlashProgress { Stage = FlashStage.MuxToDevice, Message = "switching the mux back to the device: dut" });

        Assert.AreEqual(FlashStage.Write, progress.Stage);
    }

    private static FlashProgress Bytes(long bytes, long? total, bool done) => new()
    {
        Stage = FlashStage.Write,
        Bytes = bytes,
        TotalBytes = total,
        BytesPerSecond = 50 * MiB,
        Done = done,
        TimeLeft = total is { } t ? TimeSpan.FromSeconds((t - bytes) / (50.0 * MiB)) : null,
    };

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
