namespace DeviceTest.Hardware.Boards;

/// <summary>
/// The boot strategy of a board reached only over SSH (<c>ssh</c>, maybe with <c>power</c>, in devices.yml):
/// <list type="bullet">
/// <item>bring-up: power on when needed, then SSH is retried until it answers: within the boot timeout while the board
/// boots, within <see cref="BootTimeouts.AnswerTimeout"/> when nothing was switched (an unreachable host fails fast);</item>
/// <item>reboot: SSH's own (<see cref="Ssh.SshDevice.RebootAsync"/>): the command runs, SSH must stop answering, then
/// answer again;</item>
/// <item>recovery: one power cycle and a new connection, or without power only a new connection.</item>
/// </list>
/// States: <see cref="BoardState"/>.
/// </summary>
public sealed class SshStrategy : IBootStrategy
{
    private readonly SshConnection _connection;
    private readonly BoardStateMachine _machine;

    /// <param name="connect">Makes a new SSH command device; called now and after every reset of the board.</param>
    /// <param name="power">How the board is switched (a <see cref="PowerSwitch"/>), or null.</param>
    /// <param name="timeouts">How long to wait for what.</param>
    /// <param name="time">The clock (a fake one in tests); null: the system's.</param>
    public SshStrategy(Func<IDevice> connect, IBoardPower? power, BootTimeouts timeouts, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connect);
        ArgumentNullException.ThrowIfNull(timeouts);
        time ??= TimeProvider.System;
        _connection = new SshConnection(connect, timeouts, time);
        _machine = new BoardStateMachine(new Side(_connection), console: null, power, timeouts, time);
    }

    public BoardState State => _machine.State;

    public IDevice Commands => _connection.Current;

    public IDeviceConsole? Console => null;

    public IPower? Power => _machine.Power?.Power;

    /// <summary>How the board is switched, or null.</summary>
    public IBoardPower? BoardPower => _machine.Power;

    public Task TransitionAsync(BoardState target, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, timeout, cancellationToken);

    public Task TransitionAsync(BoardState target, CancellationToken cancellationToken) =>
        _machine.TransitionAsync(target, Timeout.InfiniteTimeSpan, cancellationToken);

    public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
        _machine.RebootAsync(command, timeout, cancellationToken);

    public Task<DeviceLostException> RecoverAsync(DeviceLostException lost, CancellationToken cancellationToken) =>
        _machine.RecoverAsync(lost, cancellationToken);

    public ValueTask DisposeAsync() => _machine.DisposeAsync();

    /// <summary>What the state machine needs of this strategy.</summary>
    private sealed class Side(SshConnection connection) : IShellSide
    {
        public string DeviceName => connection.Current.Name;

        public IDevice Commands => connection.Current;

        public Task WaitForShellAsync(PowerOnResult boot, TimeSpan timeout, CancellationToken cancellationToken) =>
            connection.WaitForShellAsync(boot, timeout, cancellationToken);

        public Task ResetCommandsAsync() => connection.ResetAsync();

        public Task<RebootOutcome> RebootAsync(CommandLine? command, TimeSpan timeout, CancellationToken cancellationToken) =>
            connection.Current.RebootAsync(command, timeout, cancellationToken);
    }
}
