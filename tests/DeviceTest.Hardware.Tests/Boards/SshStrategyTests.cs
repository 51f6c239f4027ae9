using DeviceTest.Fakes;
using DeviceTest.Hardware.Boards;

namespace DeviceTest.Hardware.Tests.Boards;

/// <summary><see cref="SshStrategy"/> over a fake board reached over SSH, a fake power switch and a fake clock.</summary>
[TestClass]
public sealed class SshStrategyTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [TestMethod]
    public async Task A_board_that_does_not_answer_fails_within_the_answer_timeout_not_the_boot_timeout()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.Ssh(board, power: false);

        var error = await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None)));

        Assert.AreEqual(TimeSpan.FromSeconds(10), board.Clock.Elapsed, "ssh.connect_timeout, as nothing was switched on");
        StringAssert.Contains(error.Message, "no answer within 10 s");
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task With_power_the_first_bring_up_switches_it_on_and_waits_for_the_boot()
    {
        var board = new FakeBoard(new FakeClock()) { BootTime = TimeSpan.FromSeconds(40) };
        await using var strategy = FakeStrategies.Ssh(board);

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.AreEqual(TimeSpan.FromSeconds(40), board.Clock.Elapsed, "longer than the answer timeout: the board was switched on");
        CollectionAssert.AreEqual(new[] { "on" }, board.Power.Actions.ToArray());
        Assert.AreEqual(1, board.Connections, "a first bring-up uses the connection made with the strategy");
    }

    [TestMethod]
    public async Task Off_and_back_makes_a_new_connection_and_closes_the_old_one()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.Ssh(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        var first = (FakeCommandDevice)strategy.Commands;

        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Off, None));
        Assert.AreEqual(BoardState.Off, strategy.State);
        Assert.AreEqual(FakeBoardState.Off, board.State);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        Assert.AreNotSame(first, strategy.Commands);
        Assert.IsTrue(first.IsDisposed, "nothing of the old boot's connection is reused");
        CollectionAssert.AreEqual(new[] { "on", "off", "on" }, board.Power.Actions.ToArray());
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    public async Task A_reboot_is_the_ssh_connection_s_own_and_ends_at_the_shell()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, Timeout.InfiniteTimeSpan, None));

        Assert.IsTrue(outcome.Rebooted, outcome.Details);
        Assert.AreEqual("went down after 0.0 s, shell ready after 3.0 s", outcome.Details);
        CollectionAssert.AreEqual(new[] { "reboot" }, board.CommandsRun.ToArray());
        Assert.AreEqual(BoardState.Shell, strategy.State);
    }

    [TestMethod]
    [DataRow(FakeReboot.Fails, "the reboot command 'reboot' failed with exit code 1: reboot: must be superuser.")]
    [DataRow(FakeReboot.DoesNothing, "'reboot' ran, but device 'fake-board' still answered after 120 s")]
    public async Task A_reboot_that_does_not_happen_is_reported_not_rebooted(FakeReboot reboot, string details)
    {
        var board = new FakeBoard(new FakeClock()) { Reboot = reboot }.Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);

        var outcome = await board.Clock.RunAsync(strategy.RebootAsync(null, Timeout.InfiniteTimeSpan, None));

        Assert.IsFalse(outcome.Rebooted);
        Assert.AreEqual(details, outcome.Details);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_reboot_that_never_comes_back_is_device_lost_and_a_later_bring_up_reports_it_unreachable()
    {
        var board = new FakeBoard(new FakeClock()) { BootsToShell = false }.Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);

        var error = await Assert.ThrowsExactlyAsync<DeviceLostException>(
            () => board.Clock.RunAsync(strategy.RebootAsync(null, TimeSpan.FromMinutes(1), None)));
        await Assert.ThrowsExactlyAsync<DeviceUnreachableException>(
            () => board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None)));

        Assert.AreEqual("device lost: 'fake-board' went down after 'reboot' but did not answer again within 60 s", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task A_lost_board_is_power_cycled_and_reached_over_a_new_connection()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.Ssh(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        var old = (FakeCommandDevice)strategy.Commands;
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost("device lost: 'fake-board' stopped answering"), None));

        Assert.AreEqual("device lost: 'fake-board' stopped answering; power-cycled (fake power) and the device was back after 3.0 s", error.Message);
        Assert.IsTrue(old.IsDisposed);
        Assert.AreEqual(FakeBoardState.Up, board.State);
        Assert.AreEqual(BoardState.Shell, strategy.State);
        Assert.AreEqual(TimeSpan.FromMinutes(2), ((FakeCommandDevice)strategy.Commands).ReadyTimeouts[^1], "a booting board gets the boot timeout");
    }

    [TestMethod]
    public async Task A_lost_board_whose_power_fails_says_power_cycling_failed()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.Ssh(board);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Power.Failure = "pdudaemon refused 'reboot'";

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        Assert.AreEqual("device lost: no answer; power-cycling device 'fake-board' failed: pdudaemon refused 'reboot'", error.Message);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task Without_power_a_lost_board_that_answers_again_is_reconnected()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost("device lost: connection reset"), None));

        Assert.AreEqual(
            "device lost: connection reset; device 'fake-board' answered again after 0.0 s (reconnected; it has no power control to power-cycle it)", error.Message);
        Assert.AreEqual(2, board.Connections);
    }

    [TestMethod]
    public async Task Without_power_a_lost_board_that_does_not_answer_fails_after_the_answer_timeout_with_what_to_do()
    {
        var board = new FakeBoard(new FakeClock()).Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);
        await board.Clock.RunAsync(strategy.TransitionAsync(BoardState.Shell, None));
        board.Hang();

        var error = await board.Clock.RunAsync(strategy.RecoverAsync(FakeStrategies.Lost(), None));

        StringAssert.StartsWith(error.Message, "device lost: no answer; device 'fake-board' does not answer any more (device 'fake-board' is unreachable over ssh (fake)");
        StringAssert.EndsWith(error.Message, "has no power control to power-cycle it: add a `power` section to its entry in devices.yml, or bring it back by hand");
        Assert.AreEqual(TimeSpan.FromSeconds(10), board.Clock.Elapsed, "the answer timeout bounds the reconnect");
    }

    [TestMethod]
    public async Task Cancelling_a_reboot_stops_it_at_once()
    {
        var board = new FakeBoard(new FakeClock()) { BootsToShell = false }.Running();
        await using var strategy = FakeStrategies.Ssh(board, power: false);
        using var cancel = new CancellationTokenSource();

        var reboot = strategy.RebootAsync(null, TimeSpan.FromMinutes(5), cancel.Token);
        board.Clock.Advance(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => reboot);
        Assert.AreEqual(BoardState.Unknown, strategy.State);
    }

    [TestMethod]
    public async Task Only_off_and_shell_are_targets()
    {
        var board = new FakeBoard(new FakeClock());
        await using var strategy = FakeStrategies.Ssh(board);

        var error = await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => strategy.TransitionAsync(BoardState.Booting, None));

        StringAssert.Contains(error.Message, "passed through on the way");
        Assert.IsEmpty(board.Power.Actions);
    }
}
