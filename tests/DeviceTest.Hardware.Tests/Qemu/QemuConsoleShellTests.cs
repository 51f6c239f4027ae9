using DeviceTest.Hardware.Tests.Boards;
using DeviceTest.Hardware.Tests.Consoles;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Qemu;

/// <summary>
/// The console shell on the lab's QEMU board: busybox sh on ttyS0 as its controlling terminal (job control), and on
/// /dev/console without one (<c>devicetest.jobs=0</c>: "can't access tty; job control turned off", where Ctrl+C
/// reaches nothing). One boot each for all the checks (3–7 s under TCG). Output reaching the observer before the command
/// ends is checked with a timeout and a cancel here (the board cannot see a file this machine makes to release a command).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuConsoleShellTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(true, DisplayName = "with job control")]
    [DataRow(false, DisplayName = "without job control")]
    public async Task Commands_arrive_intact_output_streams_and_timeouts_and_cancels_end_their_process_group(bool jobControl)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await QemuBoard.RequireAsync(deadline.Token);
        using var sshPort = LoopbackPort.Reserve();
        var append = jobControl ? null : QemuBoard.DefaultAppend + " devicetest.jobs=0";
        await using var device = DeviceFactory.Create(LabBoards.QemuConsole(sshPort, append: append));
        await device.EnsureReadyAsync(LabBoards.Boot, deadline.Token);
        Assert.AreEqual(!jobControl, device.Console!.Log.Lines.Any(l => l.Text.Contains("job control turned off", StringComparison.Ordinal)),
            "the board's console shell runs as asked");

        await ConsoleStopChecks.BytesArriveAsIsAsync(device);
        await ConsoleLiveOutputChecks.SmallWritesArriveWholeAndInOrderAsync(device);
        await ConsoleLiveOutputChecks.TimedOutOutputArrivesBeforeTheTimeoutAsync(device);
        await WorkDirectoryContract.OutputArrivesWhileTheCommandRunsAsync(device, deadline.Token);
        await ConsoleStopChecks.TimeoutEndsTheGroupAsync(device, TestContext);
        await ConsoleStopChecks.CancelEndsTheGroupAsync(device, TestContext);
    }
}
