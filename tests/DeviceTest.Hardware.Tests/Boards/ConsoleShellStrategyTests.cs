using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;
using DeviceTest.Hardware.Consoles.Shell;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary><see cref="ConsoleShellStrategy"/> over a fake serial board, power switch and clock: each test takes milliseconds.</summary>
[TestClass]
public sealed class ConsoleShellStrategyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [TestMethod]
    public async Task Bring_up_switches_the_power_on_once_and_checks_the_shell_every_time()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        Assert.AreEqual(BoardState.Shell, strategy.State);
        CollectionAssert.AreEqual(new[] { "on" }, board.Power.Actions.ToArray(), "a relay that is on stays on");
        Assert.AreEqual(TimeSpan.FromSeconds(3), board.Clock.Elapsed, "ready when the board's shell was");
        CollectionAssert.AreEqual(
            new[] { TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2) }, board.Shell.ReadyTimeouts.ToArray(), "the shell is checked each time, within the boot timeout");
    }

    [TestMethod]
    public async Task After_a_boot_it_started_it_waits_for_the_prompt_without_touching_the_console()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        var switchedOn = board.Clock.GetUtcNow();

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.IsTrue(board.Console.Writes.Count > 0, "the shell pokes the console once the prompt was seen");
        Assert.IsTrue(board.Console.Writes.All(w => w.Time >= switchedOn + board.BootTime), "nothing was typed before the prompt appeared");
        Assert.AreEqual(TimeSpan.FromSeconds(117), board.Shell.ReadyTimeouts[^1], "the shell's check gets what is left of the boot timeout");
    }

    [TestMethod]
    public async Task Off_is_reached_from_any_state_and_the_shell_comes_back_from_it()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        Assert.AreEqual(BoardState.Off, strategy.State);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        Assert.AreEqual(FakeBoardState.Off, board.State);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        CollectionAssert.AreEqual(new[] { "off", "on", "off", "on" }, board.Power.Actions.ToArray());
        Assert.AreEqual(2, board.Boots);
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task Without_power_only_the_shell_is_checked_and_off_is_refused_with_what_to_do()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.ConsoleShell(board, power: false);

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => strategy.TransitionAsync(BoardState.Off, None));

        Assert.AreEqual(TimeSpan.Zero, board.Clock.Elapsed);
        Assert.AreEqual(
            "device 'fake-board' has no power control, so it cannot be switched off: add a `power` section to its entry in devices.yml", error.Message);
        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.IsNull(strategy.Power);
    }

    [TestMethod]
    public async Task A_board_that_never_shows_its_prompt_is_not_ready_after_exactly_the_boot_timeout()
    {
        var board = new FakeBoard(new FakeClock()) { BootsToShell = false };
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        var started = board.Clock.Elapsed;

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, Timeout.InfiniteTimeSpan, None)));

        Assert.AreEqual(TimeSpan.FromMinutes(2), board.Clock.Elapsed - started, "the quiet wait and the shell's check share the boot timeout");
        StringAssert.Contains(error.Message, "no shell prompt on its console");
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_caller_timeout_shorter_than_the_boot_timeout_bounds_the_bring_up()
    {
        var board = new FakeBoard(new FakeClock()) { BootsToShell = false };
        await using var strategy = FakeStrategies.ConsoleShell(board);

        await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, TimeSpan.FromSeconds(20), None)));

        Assert.AreEqual(TimeSpan.FromSeconds(20), board.Clock.Elapsed);
    }

    [TestMethod]
    public async Task A_power_switch_that_fails_is_reported_as_could_not_be_powered_on()
    {
        var board = new FakeBoard(new FakeClock());
        board.Power.Failure = "relay 3 did not answer";
        await using var strategy = FakeStrategies.ConsoleShell(board);

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None)));

        Assert.AreEqual("device 'fake-board' could not be powered on: relay 3 did not answer", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_reboot_goes_through_the_shell_and_ends_at_the_shell()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(CommandLine.FromShell("reboot -f"), Timeout.InfiniteTimeSpan, None));

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        Assert.AreEqual("went down after 0.0 s, shell ready after 3.0 s", outcome.Details);
        Assert.AreEqual("reboot -f", board.CommandsRun[^1]);
        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.AreEqual(2, board.Boots);
    }

    [TestMethod]
    public async Task A_reboot_from_off_brings_the_board_up_first()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromMinutes(1), None));

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        CollectionAssert.AreEqual(new[] { "off", "on" }, board.Power.Actions.ToArray());
    }

    [TestMethod]
    [DataRow(FakeReboot.Fails, "the reboot command 'reboot' failed with exit code 1: reboot: must be superuser.")]
    [DataRow(FakeReboot.DoesNothing, "'reboot' ran, but device 'fake-board' still answered after 120 s")]
    public async Task A_reboot_that_does_not_happen_is_reported_and_the_state_is_unknown(FakeReboot reboot, string details)
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Reboot = reboot;

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, Timeout.InfiniteTimeSpan, None));

        Assert.IsFalse(outcome.Rebooted);
        Assert.AreEqual(details, outcome.Details, "an infinite timeout is the boot timeout");
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_reboot_that_never_comes_back_fails_and_the_next_bring_up_power_cycles_nothing_but_checks_again()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.BootsToShell = false;

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(
            () => board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromSeconds(90), None)));

        Assert.AreEqual("device lost: 'fake-board' went down after 'reboot' but did not answer again within 90 s", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_lost_board_is_power_cycled_once_and_reported_back_after_its_boot()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Hang();
        var lost = FakeStrategies.Lost();
        var cycled = board.Clock.GetUtcNow();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(lost, None));

        Assert.AreEqual("device lost: no answer; power-cycled (fake power) and the device was back after 3.0 s", error.Message);
        Assert.AreSame(lost, error.InnerException);
        CollectionAssert.AreEqual(new[] { "on", "cycle" }, board.Power.Actions.ToArray());
        Assert.IsTrue(board.Console.Writes.Where(w => w.Time >= cycled).All(w => w.Time >= cycled + board.BootTime), "quiet until the prompt");
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task A_lost_board_whose_power_switch_fails_says_so()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Power.Failure = "relay 3 did not answer";

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        Assert.AreEqual("device lost: no answer; power-cycling device 'fake-board' failed: relay 3 did not answer", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_lost_board_that_does_not_come_back_after_the_power_cycle_says_so_after_the_boot_timeout()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.BootsToShell = false;
        var started = board.Clock.Elapsed;

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        StringAssert.StartsWith(error.Message, "device lost: no answer; power-cycled (fake power) but the device did not come back within 120 s: fake-board: no shell prompt");
        Assert.AreEqual(TimeSpan.FromMinutes(2), board.Clock.Elapsed - started);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task Without_power_a_lost_board_whose_console_closed_is_reconnected()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.ConsoleShell(board, power: false);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Console.Close("ser2net dropped the connection");

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost("device lost: the console closed"), None));

        Assert.AreEqual(
            "device lost: the console closed; device 'fake-board' answered again after 0.0 s (reconnected; it has no power control to power-cycle it)",
            error.Message);
        Assert.AreEqual(2, board.Console.Opens);
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task Without_power_a_lost_board_that_does_not_answer_tells_the_user_to_add_a_power_section()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.ConsoleShell(board, power: false);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        Assert.AreEqual(
            "device lost: no answer; device 'fake-board' does not answer any more (fake-board: no shell prompt on its console (fake) within 30 s (the board is Hung)) " +
            "and has no power control to power-cycle it: add a `power` section to its entry in devices.yml, or bring it back by hand",
            error.Message);
        Assert.AreEqual(TimeSpan.FromSeconds(30), board.Clock.Elapsed, "the reconnect timeout");
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task Cancelling_a_bring_up_stops_it_at_once_and_leaves_the_state_unknown()
    {
        var board = new FakeBoard(new FakeClock()) { BootsToShell = false };
        await using var strategy = FakeStrategies.ConsoleShell(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        using var cancel = new CancellationTokenSource();

        var bringUp = strategy.TransitionAsync(BoardState.Shell, cancel.Token);
        board.Clock.Advance(TimeSpan.FromSeconds(5));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => bringUp);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        Assert.AreEqual(BoardState.Off, strategy.State, "the strategy is usable after a cancellation");
    }
}
