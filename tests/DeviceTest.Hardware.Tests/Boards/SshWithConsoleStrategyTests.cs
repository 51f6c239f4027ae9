using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary><see cref="SshWithConsoleStrategy"/>: reboots proven by the console, over a fake board, console, power and clock.</summary>
[TestClass]
public sealed class SshWithConsoleStrategyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static async Task<(FakeBoard Board, SshWithConsoleStrategy Strategy)> ReadyAsync(Action<FakeBoard>? setUp = null)
    {
        var board = new FakeBoard(new FakeClock());
        setUp?.Invoke(board);
        var strategy = FakeStrategies.SshWithConsole(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        return (board, strategy);
    }

    [TestMethod]
    public async Task A_reboot_is_proven_by_the_console_and_the_board_is_reached_over_a_new_connection()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        var before = (FakeCommandDevice)strategy.Commands;
        var started = board.Clock.Elapsed;

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(CommandLine.FromShell("systemctl reboot"), TimeSpan.FromMinutes(1), None));

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        Assert.AreEqual("went down after 0.0 s (console: \"Restarting system\"), shell ready after 3.0 s", outcome.Details);
        Assert.AreEqual(TimeSpan.FromSeconds(3), board.Clock.Elapsed - started);
        Assert.AreEqual("systemctl reboot", board.CommandsRun[^1]);
        Assert.IsTrue(before.IsDisposed, "the old boot's connection is closed");
        Assert.AreNotSame(before, strategy.Commands);
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task A_failing_reboot_command_is_reported_at_once_with_its_exit_code_and_output()
    {
        var (board, strategy) = await ReadyAsync(b => b.Reboot = FakeReboot.Fails);
        await using var _ = strategy;
        var started = board.Clock.Elapsed;

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromMinutes(1), None));

        Assert.IsFalse(outcome.Rebooted);
        Assert.AreEqual("the reboot command 'reboot' failed with exit code 1: reboot: must be superuser.", outcome.Details);
        Assert.AreEqual(started, board.Clock.Elapsed, "no waiting for a reboot that will not come");
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_board_that_never_goes_down_is_reported_with_what_its_console_showed()
    {
        var (board, strategy) = await ReadyAsync(b => b.Reboot = FakeReboot.DoesNothing);
        await using var _ = strategy;
        var started = board.Clock.Elapsed;

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromSeconds(45), None));

        Assert.IsFalse(outcome.Rebooted);
        StringAssert.StartsWith(outcome.Details, "'reboot' ran, but device 'fake-board' showed no sign of rebooting on its console within 45 s (console (fake serial): no match for /");
        Assert.AreEqual(TimeSpan.FromSeconds(45), board.Clock.Elapsed - started);
    }

    [TestMethod]
    public async Task Reboot_messages_of_an_earlier_boot_are_not_taken_for_this_reboot()
    {
        var (board, strategy) = await ReadyAsync(b => b.Reboot = FakeReboot.DoesNothing);
        await using var _ = strategy;
        board.Console.Print("\nreboot: Restarting system\n");

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromSeconds(20), None));

        Assert.IsFalse(outcome.Rebooted, outcome.Details);
    }

    [TestMethod]
    public async Task A_board_that_goes_down_and_never_comes_back_is_device_lost_with_the_evidence()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        board.BootsToShell = false;
        var started = board.Clock.Elapsed;

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(
            () => board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromSeconds(60), None)));

        StringAssert.StartsWith(
            error.Message,
            "device lost: 'fake-board' went down after 'reboot' (console: \"Restarting system\") but did not answer again within 60 s: device 'fake-board' is unreachable over ssh (fake)");
        Assert.AreEqual(TimeSpan.FromSeconds(60), board.Clock.Elapsed - started);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task An_infinite_reboot_timeout_is_the_boot_timeout()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        board.BootsToShell = false;
        var started = board.Clock.Elapsed;

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(
            () => board.Clock.RunAsync(strategy.RebootAsync(null, Timeout.InfiniteTimeSpan, None)));

        StringAssert.Contains(error.Message, "did not answer again within 120 s");
        Assert.AreEqual(TimeSpan.FromMinutes(2), board.Clock.Elapsed - started);
    }

    [TestMethod]
    public async Task A_reboot_command_that_runs_too_long_is_not_a_failure_the_console_decides()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        var started = board.Clock.Elapsed;

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(CommandLine.FromShell("sleep 300"), TimeSpan.FromMinutes(2), None));

        Assert.IsFalse(outcome.Rebooted);
        StringAssert.Contains(outcome.Details, "showed no sign of rebooting on its console within 120 s");
        Assert.AreEqual(TimeSpan.FromMinutes(2), board.Clock.Elapsed - started, "the command was stopped after 30 s; the console was watched to the end");
    }

    [TestMethod]
    public async Task Cancelling_a_reboot_while_waiting_for_the_board_stops_it_at_once()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        board.BootsToShell = false;
        using var cancel = new CancellationTokenSource();

        var reboot = strategy.RebootAsync(null, TimeSpan.FromMinutes(2), cancel.Token);
        board.Clock.Advance(TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => reboot);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_lost_board_is_power_cycled_as_a_plain_ssh_board_is()
    {
        var (board, strategy) = await ReadyAsync();
        await using var _ = strategy;
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        Assert.AreEqual("device lost: no answer; power-cycled (fake power) and the device was back after 3.0 s", error.Message);
        CollectionAssert.AreEqual(new[] { "off", "on", "cycle" }, board.Power.Actions.ToArray());
    }
}
