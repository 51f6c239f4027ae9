using DeviceTest.Hardware.Power;
using DeviceTest.Lab;
using DeviceTest.Lab.Qemu;

namespace DeviceTest.Hardware.Tests.Power;

/// <summary>QmpPower on the lab's QEMU board.</summary>
[TestClass]
[DoNotParallelize]
public sealed class QmpPowerTests
{
    private static readonly TimeSpan Boot = TimeSpan.FromSeconds(60);

    [TestMethod]
    public async Task Off_freezes_the_board_and_on_and_cycle_boot_it_afresh()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var board = await QemuBoard.StartAsync(cancellationToken: cts.Token);
        var power = new QmpPower(board.Machine);
        var serial = board.Machine.SerialSocketPath;

        await power.OffAsync(cts.Token);
        Assert.IsFalse((await board.Machine.Qmp.QueryStatusAsync(cts.Token)).Running);

        await power.OnAsync(cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);

        await power.CycleAsync(cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Banner, Boot, cts.Token);
        await board.Console.ExpectAsync(QemuBoard.Prompt, Boot, cts.Token);

        Assert.AreEqual(3, board.Console.Count(QemuBoard.Banner));
        Assert.AreEqual(serial, board.Machine.SerialSocketPath, "the console socket stays the same while QEMU runs");
    }

    [TestMethod]
    public async Task On_starts_a_stopped_machine()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        await using var machine = new Hardware.Qemu.QemuMachine(QemuBoard.Config(sshPort.Number), new() { Name = "qmp-power" });
        var power = new QmpPower(machine);

        await power.OnAsync(cts.Token);

        Assert.IsTrue(machine.IsRunning);
        Assert.IsTrue((await machine.Qmp.QueryStatusAsync(cts.Token)).Running);
    }

    [TestMethod]
    public async Task A_restarted_machine_has_its_console_on_a_new_private_socket()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await QemuBoard.RequireAsync(cts.Token);
        using var sshPort = LoopbackPort.Reserve();
        await using var machine = new Hardware.Qemu.QemuMachine(QemuBoard.Config(sshPort.Number), new() { Name = "restart" });

        await machine.StartAsync(cts.Token);
        var first = machine.SerialSocketPath;
        var firstPid = machine.ProcessId;
        await machine.StopAsync(cts.Token);
        Assert.IsFalse(machine.IsRunning);
        Assert.IsFalse(File.Exists(first), "the stopped run's socket is gone with its folder");
        await machine.StartAsync(cts.Token);

        Assert.IsTrue(File.Exists(machine.SerialSocketPath), machine.SerialSocketPath);
        await using var console = await ConsoleTap.ConnectAsync(machine.SerialSocketPath!, cts.Token);
        Assert.AreNotEqual(firstPid, machine.ProcessId);
    }
}
