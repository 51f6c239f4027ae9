using System.Diagnostics;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Tests.Qemu;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>
/// The QEMU board as a <see cref="Board"/> made by <see cref="DeviceFactory"/>: boot, commands, reboot and recovery,
/// over its console and over SSH. Few tests on purpose: each boots QEMU (3–7 s under TCG).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class QemuBoardDeviceTests
{
    public TestContext TestContext { get; set; } = null!;

    private static CancellationTokenSource Deadline() => new(TimeSpan.FromMinutes(4));

    [TestMethod]
    public async Task Console_board_boots_runs_reboots_and_comes_back_after_qemu_was_killed()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        var device = (Board)DeviceFactory.Create(LabBoards.QemuConsole(sshPort));
        await using (device)
        {
            Assert.IsNull(LabBoards.Machine(device).ProcessId, "nothing starts before the first bring-up");
            var clock = Stopwatch.StartNew();
            await device.EnsureReadyAsync(LabBoards.Boot, cts.Token);
            TestContext.WriteLine($"shell ready after {clock.Elapsed.TotalSeconds:0.0} s");

            var uname = await device.RunAsync("uname -s; hostname", cts.Token);
            Assert.AreEqual("Linux\ndevicetest-qemu\n", uname.Stdout);
            Assert.IsTrue(device.Console!.Log.Lines.Any(l => l.Text.Contains(QemuBoard.Banner, StringComparison.Ordinal)),
                "the console log has the boot from its first line");

            await device.RunAsync("touch /tmp/before-reboot", cts.Token);
            var reboot = await device.RebootAsync(null, LabBoards.Boot, cts.Token);
            TestContext.WriteLine($"reboot: {reboot.Details}");
            Assert.IsTrue(reboot.Rebooted, reboot.Details);
            var after = await device.RunAsync("test -e /tmp/before-reboot; echo $?", cts.Token);
            Assert.AreEqual("1\n", after.Stdout, "tmpfs is empty after a real reboot");

            var pid = LabBoards.Machine(device).ProcessId!.Value;
            var running = device.RunAsync(new CommandRequest(CommandLine.FromShell("sleep 60")) { Timeout = TimeSpan.FromSeconds(90) }, cts.Token);
            await Task.Delay(1000, cts.Token);
            Process.GetProcessById(pid).Kill();
            clock.Restart();
            var lost = await Assert.ThrowsExactlyAsync<DeviceLostException>(() => running);
            TestContext.WriteLine(lost.Message);
            StringAssert.StartsWith(lost.Message, "device lost: ");
            StringAssert.Contains(lost.Message, "QEMU was not running any more; started it again");
            StringAssert.Contains(lost.Message, "the device was back after");

            var back = await device.RunAsync("echo back", cts.Token);
            Assert.AreEqual("back\n", back.Stdout);
            Assert.AreNotEqual(pid, LabBoards.Machine(device).ProcessId);
            pid = LabBoards.Machine(device).ProcessId!.Value;
            Assert.IsTrue(device.Console.Log.Lines.Count(l => l.Text.Contains(QemuBoard.Banner, StringComparison.Ordinal)) >= 3,
                "the log keeps every boot");
            await device.DisposeAsync();
            Assert.IsFalse(QemuBoardTests.ProcessRuns(pid), "dispose stops QEMU");
        }
    }

    [TestMethod]
    public async Task Off_stops_qemu_and_the_board_comes_back_from_off_with_its_whole_boot_in_the_log()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        var device = (Board)DeviceFactory.Create(LabBoards.QemuConsole(sshPort));
        await using (device)
        {
            await device.EnsureReadyAsync(LabBoards.Boot, cts.Token);
            var pid = LabBoards.Machine(device).ProcessId!.Value;

            await device.Strategy.TransitionAsync(BoardState.Off, cts.Token);
            Assert.AreEqual(BoardState.Off, device.Strategy.State);
            Assert.IsFalse(LabBoards.Machine(device).IsRunning, "off is QEMU stopped: its disk could be written now");
            Assert.IsFalse(QemuBoardTests.ProcessRuns(pid));

            await device.Strategy.TransitionAsync(BoardState.Shell, LabBoards.Boot, cts.Token);
            var uname = await device.RunAsync("uname -s", cts.Token);
            Assert.AreEqual("Linux\n", uname.Stdout);
            Assert.AreNotEqual(pid, LabBoards.Machine(device).ProcessId);
            Assert.AreEqual(2, device.Console!.Log.Lines.Count(l => l.Text.Contains(QemuBoard.Banner, StringComparison.Ordinal)),
                "the log keeps both boots");
        }
    }

    [TestMethod]
    public async Task Ssh_board_reboots_through_dropbear_and_is_power_cycled_after_a_kernel_panic()
    {
        using var cts = Deadline();
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        var device = (Board)DeviceFactory.Create(LabBoards.QemuSsh(sshPort));
        await using (device)
        {
            var clock = Stopwatch.StartNew();
            await device.EnsureReadyAsync(LabBoards.Boot, cts.Token);
            TestContext.WriteLine($"ssh ready after {clock.Elapsed.TotalSeconds:0.0} s");
            var result = await device.RunAsync("hostname; echo err >&2", cts.Token);
            Assert.AreEqual("devicetest-qemu\n", result.Stdout);
            Assert.AreEqual("err\n", result.Stderr, "over SSH stderr stays apart");

            await device.RunAsync("touch /tmp/before-reboot", cts.Token);
            var reboot = await device.RebootAsync(null, LabBoards.Boot, cts.Token);
            TestContext.WriteLine($"reboot: {reboot.Details}");
            Assert.IsTrue(reboot.Rebooted, reboot.Details);
            StringAssert.Contains(reboot.Details, "console:");
            var after = await device.RunAsync("test -e /tmp/before-reboot; echo $?", cts.Token);
            Assert.AreEqual("1\n", after.Stdout, "tmpfs is empty after a real reboot");

            var pid = LabBoards.Machine(device).ProcessId;
            clock.Restart();
            var lost = await Assert.ThrowsExactlyAsync<DeviceLostException>(() => device.RunAsync(
                new CommandRequest(CommandLine.FromShell("sleep 1; echo c > /proc/sysrq-trigger; sleep 60")) { Timeout = TimeSpan.FromSeconds(120) },
                cts.Token));
            TestContext.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {lost.Message}");
            StringAssert.Contains(lost.Message, "power-cycled (qmp system_reset) and the device was back after");
            Assert.AreEqual(pid, LabBoards.Machine(device).ProcessId, "a power cycle through QMP keeps QEMU (and its port forward)");

            var back = await device.RunAsync("echo back", cts.Token);
            Assert.AreEqual("back\n", back.Stdout);
        }
    }
}
