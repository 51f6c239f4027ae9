using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Power;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary>
/// <see cref="QemuStrategy"/> alone and as the power of the console-shell and SSH strategies, over a fake QEMU machine,
/// console and clock: starts, stops, restarts and resets without QEMU.
/// </summary>
[TestClass]
public sealed class QemuStrategyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static FakeBoard Virtual() => new(new FakeClock(), isVirtual: true);

    [TestMethod]
    public async Task Qemu_states_are_reached_step_by_step()
    {
        var board = Virtual();
        var qemu = FakeStrategies.Qemu(board);

        await board.Clock.RunAsync(qemu.TransitionAsync(QemuState.Paused, None));
        Assert.AreEqual(QemuState.Paused, qemu.State);
        Assert.IsTrue(board.Console.IsOpen, "the console is connected before the guest runs");
        Assert.AreEqual(FakeBoardState.Off, board.State, "the guest has not run yet");
        await board.Clock.RunAsync(qemu.TransitionAsync(QemuState.Running, None));
        await board.Clock.RunAsync(qemu.TransitionAsync(QemuState.Paused, None));
        await board.Clock.RunAsync(qemu.TransitionAsync(QemuState.Off, None));
        await board.Clock.RunAsync(qemu.TransitionAsync(QemuState.Running, None));

        CollectionAssert.AreEqual(new[] { "start", "cont", "stop", "quit", "start", "cont" }, board.Machine.Actions.ToArray());
        Assert.AreEqual(QemuState.Running, qemu.State);
        Assert.IsInstanceOfType<QmpPower>(qemu.Power, "without a power section, users see QMP power");
        await qemu.DisposeAsync();
        Assert.IsFalse(board.Machine.IsRunning, "disposing stops QEMU");
    }

    [TestMethod]
    public async Task Bring_up_starts_qemu_paused_connects_the_console_then_lets_the_guest_run()
    {
        var board = Virtual();
        await using var strategy = FakeStrategies.QemuConsole(board);

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        CollectionAssert.AreEqual(new[] { "start", "cont" }, board.Machine.Actions.ToArray());
        Assert.AreEqual("U-Boot 2024.01", board.Console.Log.Lines[0].Text, "the console log has the boot from its first line");
        Assert.IsTrue(board.Console.Writes.All(w => w.Time >= board.Clock.GetUtcNow()), "nothing typed before the prompt");
        Assert.AreEqual(TimeSpan.FromSeconds(3), board.Clock.Elapsed);
        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.AreEqual(QemuState.Running, ((QemuStrategy)strategy.BoardPower!).State);
    }

    [TestMethod]
    public async Task Off_stops_qemu_so_its_disk_can_be_written_and_the_shell_starts_it_again()
    {
        var board = Virtual();
        await using var strategy = FakeStrategies.QemuConsole(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        Assert.IsFalse(board.Machine.IsRunning, "QEMU is stopped, not paused");
        Assert.AreEqual(BoardState.Off, strategy.State);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        Assert.AreEqual(2, board.Machine.Starts);
        Assert.AreEqual(2, board.Boots);
        Assert.AreEqual(2, board.Console.Log.Lines.Count(l => l.Text.EndsWith("U-Boot 2024.01", StringComparison.Ordinal)), "the log keeps both boots whole");
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task A_qemu_that_died_is_started_again_and_the_message_says_so()
    {
        var board = Virtual();
        await using var strategy = FakeStrategies.QemuConsole(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Machine.Kill();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost("device lost: the console closed"), None));

        Assert.AreEqual(
            "device lost: the console closed; power-cycled (QEMU was not running any more; started it again) and the device was back after 3.0 s", error.Message);
        Assert.AreEqual(2, board.Machine.Starts);
        Assert.AreEqual(2, board.Console.Opens, "the console reconnected to the new QEMU");
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task A_hung_guest_is_reset_through_qmp_and_qemu_keeps_running()
    {
        var board = Virtual();
        await using var strategy = FakeStrategies.QemuSsh(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        var pid = board.Machine.ProcessId;
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        Assert.AreEqual("device lost: no answer; power-cycled (qmp system_reset) and the device was back after 5.0 s", error.Message,
            "2 s to see whether QEMU exits, then a 3 s boot");
        Assert.AreEqual(pid, board.Machine.ProcessId, "a reset keeps QEMU (and its port forwards)");
        Assert.AreEqual("system_reset", board.Machine.Actions[^1]);
    }

    [TestMethod]
    public async Task A_power_section_power_cycles_a_qemu_board_instead_of_qmp()
    {
        var board = Virtual();
        var relay = new FakePower("relay 7") { Switched = _ => board.Reset() };
        await using var strategy = FakeStrategies.QemuConsole(board, relay);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        StringAssert.StartsWith(error.Message, "device lost: no answer; power-cycled (relay 7) and the device was back after");
        CollectionAssert.AreEqual(new[] { "cycle" }, relay.Actions.ToArray(), "QEMU was started by itself, the relay only cycled");
        Assert.AreSame(relay, strategy.Power);
    }

    [TestMethod]
    public async Task A_qemu_that_exits_during_the_reset_is_started_again()
    {
        var board = Virtual();
        await using var strategy = FakeStrategies.QemuConsole(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Hang();
        board.Machine.ExitsOnReset = true;

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        StringAssert.StartsWith(error.Message, "device lost: no answer; power-cycled (QEMU was not running any more; started it again) and the device was back after");
        Assert.AreEqual(2, board.Machine.Starts);
    }

    [TestMethod]
    public async Task A_qemu_that_cannot_start_is_not_ready_with_its_own_error()
    {
        var board = Virtual();
        board.Machine.StartFailure = new DeviceUnreachableException("fake-board: the qemu kernel 'vmlinuz' does not exist; fix the device's qemu.kernel setting.");
        await using var strategy = FakeStrategies.QemuConsole(board);

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None)));

        Assert.AreEqual("fake-board: the qemu kernel 'vmlinuz' does not exist; fix the device's qemu.kernel setting.", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
        Assert.AreEqual(QemuState.Off, ((QemuStrategy)strategy.BoardPower!).State);
    }

    [TestMethod]
    public async Task After_an_ssh_reboot_that_ends_qemu_qemu_is_started_again_and_the_closed_console_is_the_evidence()
    {
        var board = Virtual();
        board.RebootExitsQemu = true;
        board.RebootPrints = false;
        await using var strategy = FakeStrategies.QemuSsh(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromMinutes(1), None));

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        Assert.AreEqual("went down after 0.0 s (its console closed), shell ready after 3.0 s", outcome.Details);
        Assert.AreEqual(2, board.Machine.Starts);
    }
}
