namespace DeviceTest.Hardware.Boards;

/// <summary>
/// How a <see cref="Board"/> gets from any state to "shell ready" or off, reboots, and comes back after it stopped
/// answering (labgrid's strategies). One per board shape, picked by <see cref="DeviceFactory"/>:
/// <see cref="ConsoleShellStrategy"/>, <see cref="SshStrategy"/> and <see cref="SshWithConsoleStrategy"/>, each with
/// a <see cref="PowerSwitch"/>, a <see cref="QemuStrategy"/> or no power. Transitions, reboots and recoveries run one
/// at a time. The strategy owns its parts and disposes them.
/// </summary>
public interface IBootStrategy : IAsyncDisposable
{
    /// <summary>Where the strategy has brought the board (what it last established, not a live reading).</summary>
    BoardState State { get; }

    /// <summary>The device commands go to now (an SSH connection is replaced after every reset of the board).</summary>
    IDevice Commands { get; }

    /// <summary>The board's console, or null.</summary>
    IDeviceConsole? Console { get; }

    /// <summary>The board's power control as users see it (<see cref="IDevice.Power"/>), or null.</summary>
    IPower? Power { get; }

    /// <summary>How the strategy switches the board (a <see cref="PowerSwitch"/>, a <see cref="QemuStrategy"/>), or null.</summary>
    IBoardPower? BoardPower { get; }

    /// <summary>
    /// Brings the board to <paramref name="target"/>: <see cref="BoardState.Off"/> from any state (power off, QEMU
    /// stopped), or <see cref="BoardState.Shell"/> step by step (power on when needed, wait for the boot, log in). The
    /// shell is checked every time, not assumed: a board can die behind the strategy's back.
    /// </summary>
    /// <param name="target">Off or Shell.</param>
    /// <param name="timeout">At most this long for the shell (also bounded by the boot timeout); Infinite: the strategy's own bounds.</param>
    /// <param name="cancellationToken">Stops the transition; the state is then <see cref="BoardState.Unknown"/>.</param>
    /// <exception cref="DeviceUnreachableException">The board did not get there; the message says why.</exception>
    /// <exception cref="InvalidOperationException">Off was asked of a board without power control.</exception>
    Task TransitionAsync(BoardState target, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Brings the board to <paramref name="target"/> within the strategy's own timeouts.</summary>
    Task TransitionAsync(BoardState target, CancellationToken cancellationToken);

    /// <summary>See <see cref="IDevice.RebootAsync"/>. An infinite timeout means the boot timeout.</summary>
    Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Brings back a board that stopped answering: one power cycle (a QEMU that died is started again) and a wait for the
    /// shell, or without power a reconnect. Returns the exception that fails the test, saying what was done.
    /// </summary>
    Task<DeviceLostException> RecoverAsync(DeviceLostException lost, CancellationToken cancellationToken);
}
