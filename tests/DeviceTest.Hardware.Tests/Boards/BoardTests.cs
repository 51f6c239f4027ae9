using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>A <see cref="Board"/> over its strategy: what a test sees when its device is lost, and the IDevice surface.</summary>
[TestClass]
public sealed class BoardTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [TestMethod]
    public async Task A_command_that_loses_the_device_fails_with_what_recovery_did_and_the_next_command_runs()
    {
        var fake = new FakeBoard(new FakeClock(), "qemu-fake", isVirtual: true);
        await using var board = new Board("qemu-fake", ["x86"], ["fake"], FakeStrategies.QemuConsole(fake));
        await fake.Clock.RunAsync(board.EnsureReadyAsync(TimeSpan.FromMinutes(1), None));

        var running = board.RunAsync(new CommandRequest(CommandLine.FromShell("sleep 60")), None);
        fake.Clock.Advance(TimeSpan.FromSeconds(1));
        fake.Machine.Kill();
        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(() => fake.Clock.RunAsync(running));
        fake.Shell.Answer("echo back", "back\n");
        var back = await board.RunAsync("echo back", None);

        Assert.AreEqual(
            "device lost: the console shell of 'qemu-fake' stopped answering while running 'sleep 60'; " +
            "power-cycled (QEMU was not running any more; started it again) and the device was back after 3.0 s",
            error.Message);
        Assert.AreEqual("back\n", back.Stdout);
        Assert.AreEqual(BoardState.Shell, board.Strategy.State);
    }

    [TestMethod]
    public async Task A_cancelled_command_does_not_start_a_recovery()
    {
        var fake = new FakeBoard(new FakeClock());
        await using var board = new Board("fake-board", [], ["fake"], FakeStrategies.Ssh(fake));
        await fake.Clock.RunAsync(board.EnsureReadyAsync(TimeSpan.FromMinutes(1), None));
        using var cancel = new CancellationTokenSource();

        var running = board.RunAsync(new CommandRequest(CommandLine.FromShell("sleep 60")), cancel.Token);
        fake.Clock.Advance(TimeSpan.FromSeconds(1));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => running);
        CollectionAssert.AreEqual(new[] { "on" }, fake.Power.Actions.ToArray(), "no power cycle");
    }

    [TestMethod]
    public async Task The_board_shows_its_strategy_s_parts_and_disposing_it_closes_them_all()
    {
        var fake = new FakeBoard(new FakeClock(), isVirtual: true);
        var board = new Board("fake-board", ["arm64"], ["fake"], FakeStrategies.QemuSsh(fake));
        await fake.Clock.RunAsync(board.EnsureReadyAsync(TimeSpan.FromMinutes(1), None));
        var commands = (FakeCommandDevice)board.Commands;

        Assert.AreSame(fake.Console, board.Console);
        Assert.IsNotNull(board.Power);
        await board.DisposeAsync();

        Assert.IsTrue(commands.IsDisposed);
        Assert.IsTrue(fake.Console.IsDisposed);
        Assert.IsTrue(fake.Machine.IsDisposed);
        Assert.IsFalse(fake.Machine.IsRunning, "QEMU is stopped");
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => board.RunAsync("true", None));
    }
}
